"""The feature → training → inference chain, run by Airflow for one logical date, with real spark-submit runs.

With a temporary Airflow home (its own SQLite database) and a temporary lakehouse holding the demo's generated raw
data, ``airflow dags test`` runs every feature DAG, then the training DAG, then the inference DAG for 2024-07-01, a
Monday, so that the weekly training DAG is due on the same date as the daily ones. Their SparkSubmitOperator tasks
run pyspark's ``spark-submit`` on the job jar in local mode, through the Airflow connection ``spark_default``
(``local[2]``); the inference DAG's sensors find the feature runs of the same date, and its ``monitor`` task runs
after ``infer``. The lakehouse then holds the feature groups, their validation reports, the training dataset, model
version 1, the day's predictions, their drift (recorded by ``infer``) and their realised performance (``monitor``).

The tables are read back without Spark: DuckDB's delta extension is downloaded on first use, which CI cannot do,
and the pinned venv's ``pyspark`` Python package is the Spark Connect client; so each table's files come from its
Delta log (the add and remove actions of its commits) and DuckDB reads those Parquet files.

A DAG run that gets stuck (a task waiting for a retry ten minutes later, a sensor rescheduled because it found no
run) is stopped at once and fails the test with its log, and every process the test started is stopped, also
when it fails.
"""

import glob
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date, timedelta

import duckdb
import psutil
import pytest

from lakeline_airflow import factory, launch
from lakeline_airflow.settings import REPO

DAGS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPARK_HOME = importlib.util.find_spec("pyspark").submodule_search_locations[0]
AIRFLOW = os.path.join(os.path.dirname(sys.executable), "airflow")
DATE = "2024-07-01"  # a Monday: the training DAG (Mondays) is due on the same logical date as the daily DAGs
PIPELINES = ["card_spend", "credit_reports", "loans"]
# dags test loops while a task waits for its retry (ten minutes) or a sensor for its next poke (five): stop there
STUCK = re.compile(r"No tasks to run|new_state=up_for_(retry|reschedule)")
# spark-submit's settings, as a worker's environment (spark-env.sh) can give them: small shuffles and no UI as Spark
# properties, and the JVM options of the Python tests' short Spark JVMs (conftest.py: the quick compiler alone and the
# class archive). Not in a spark-defaults.conf: its folder would come first on the JVM's classpath, and a folder with
# files in it there keeps the JVM from using the archive.
SPARK_PROPERTIES = {
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.databricks.delta.snapshotPartitions": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}


def job_jar():
    found = sorted(glob.glob(os.path.join(REPO, "jobs", "target", "lakeline-*-spark35-with-delta.jar")))
    assert found, "build the job jar first: mvn -B package -DskipTests (run-tests does it before these tests)"
    return found[-1]


def environment(root, jvm_options):
    """Airflow's and Spark's settings for the runs: everything under ``root``, nothing from the caller's Airflow."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "LAKELINE_", "PYSPARK_", "SPARK_"))}
    submit_opts = [jvm_options, f"-Dlog4j2.configurationFile={os.path.join(REPO, 'conf', 'log4j2-local.properties')}"]
    env.update(
        AIRFLOW_HOME=str(root / "airflow"),
        AIRFLOW__CORE__DAGS_FOLDER=DAGS,
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW_CONN_SPARK_DEFAULT=json.dumps({"conn_type": "spark", "host": "local[2]"}),
        # SparkSubmitOperator runs the spark-submit it finds on the PATH: pyspark's, of Spark 3.5.7
        PATH=os.pathsep.join([os.path.join(SPARK_HOME, "bin"), os.path.dirname(sys.executable), env.get("PATH", "")]),
        SPARK_HOME=SPARK_HOME,
        SPARK_SUBMIT_OPTS=" ".join(submit_opts + [f"-D{k}={v}" for k, v in SPARK_PROPERTIES.items()]),
        SPARK_DRIVER_MEMORY="1g",
        SPARK_LOCAL_IP="127.0.0.1",
        TZ="UTC",
        LAKELINE_LAUNCH_MODE="spark_submit",
        LAKELINE_JAR=job_jar(),
        LAKELINE_LAKEHOUSE=str(root / "lakehouse"),
        LAKELINE_PIPELINE_DIR=os.path.join(REPO, "conf", "pipelines"),
    )
    return env


def stop(process):
    """Stops a process the test started and every process it started in turn (spark-submit's JVM)."""
    try:
        family = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    for p in [process, *family]:
        try:
            p.send_signal(signal.SIGTERM)
        except (ProcessLookupError, psutil.NoSuchProcess):
            pass
    _, alive = psutil.wait_procs(family, timeout=10)
    for p in alive:
        p.kill()
    try:
        process.wait(timeout=3)  # airflow dags test, stuck in its loop, does not stop on SIGTERM
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run(args, env, cwd, log, timeout=600):
    """Runs a command to its end, or until it is stuck or out of time: (exit code or None, its output)."""
    with open(log, "w") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    try:
        deadline = time.monotonic() + timeout
        while process.poll() is None:
            time.sleep(1)
            output = open(log, errors="replace").read()
            if STUCK.search(output) or time.monotonic() > deadline:
                stop(process)
                return None, output
        return process.returncode, open(log, errors="replace").read()
    finally:
        if process.poll() is None:
            stop(process)


@pytest.fixture(scope="module")
def chain(tmp_path_factory, spark_jvm_options):
    """Generates the raw data, then runs every DAG of the chain for DATE: (its root folder, env, each run's output)."""
    root = tmp_path_factory.mktemp("end-to-end")
    env = environment(root, spark_jvm_options)
    lakehouse = env["LAKELINE_LAKEHOUSE"]
    code, output = run(
        [os.path.join(SPARK_HOME, "bin", "spark-submit"), "--master", "local[2]", "--class", launch.MAIN_CLASS,
         job_jar(), "generate", "--date", DATE, "--scale", "0.03", "--lakehouse", lakehouse],
        env, root, root / "generate.log")
    assert code == 0, "generate failed:\n" + output[-5000:]
    code, output = run([AIRFLOW, "db", "migrate"], env, root, root / "db-migrate.log", timeout=300)
    assert code == 0, "airflow db migrate failed:\n" + output[-5000:]
    outputs = {}
    for dag_id in [factory.features_dag_id(p) for p in PIPELINES] + [factory.TRAINING_DAG, factory.INFERENCE_DAG]:
        code, output = run([AIRFLOW, "dags", "test", dag_id, DATE], env, root, root / f"{dag_id}.log")
        assert code == 0, f"airflow dags test {dag_id} {DATE} " + (
            "got stuck" if code is None else f"exited with {code}") + ":\n" + output[-8000:]
        outputs[dag_id] = output
    return root, env, outputs


def test_every_dag_runs_its_job_with_spark_submit_of_the_jar_for_the_logical_date(chain):
    _, _, outputs = chain
    # each DAG's jobs, in the order they run: (the command, the stage the jar says finished)
    jobs = {factory.features_dag_id(p): [("features --pipeline " + os.path.join(REPO, "conf", "pipelines", p + ".yaml"),
                                          "feature pipeline")] for p in PIPELINES}
    jobs[factory.TRAINING_DAG] = [("train", "training pipeline")]
    jobs[factory.INFERENCE_DAG] = [("infer --window-days 1", "batch inference"), ("monitor", "monitoring")]
    for dag_id, runs in jobs.items():
        output = outputs[dag_id]
        submitted = re.findall(r"Spark-Submit cmd: (spark-submit --master local\[2\] .*)", output)
        assert len(submitted) == len(runs), (
            f"{dag_id} ran {len(submitted)} spark-submit(s) in local mode:\n{output[-3000:]}")
        for (job, done), command in zip(runs, submitted):
            assert f"--class {launch.MAIN_CLASS} {job_jar()} {job} --date {DATE} " in command, command
            # the jar says its job finished
            assert f"✔ {done} (" in output, (dag_id, job)
        # the jar says it took spark-submit's session
        assert "Spark spark-submit (local[2])" in output, dag_id
    for p in PIPELINES:
        assert f"Poking for DAG '{factory.features_dag_id(p)}' on {DATE}" in outputs[factory.INFERENCE_DAG], p
    # monitor's summary: the date's run was joined to the labels; its batch of a few dozen loans is too small for the
    # PSI to be judged (monitoring.min-rows), so nothing is at alert
    inference = outputs[factory.INFERENCE_DAG]
    assert "── monitor summary " in inference, inference[-3000:]
    assert re.search(rf"runs: +1 with predictions after \S+ up to {DATE}", inference), inference[-3000:]
    assert re.search(r"drift alerts: +none", inference), inference[-3000:]
    assert "drift: not judged" in inference, inference[-3000:]


def test_the_inference_dag_of_a_date_without_feature_runs_waits_and_scores_nothing(chain):
    root, env, _ = chain
    later = (date.fromisoformat(DATE) + timedelta(days=1)).isoformat()
    code, output = run([AIRFLOW, "dags", "test", factory.INFERENCE_DAG, later], env, root, root / "waits.log",
                       timeout=300)
    assert code is None and STUCK.search(output), f"the inference DAG of {later} should wait:\n{output[-5000:]}"
    # the sensors run in no fixed order, and the run is stopped at the first one rescheduled: one of them poked
    poked = [p for p in PIPELINES if f"Poking for DAG '{factory.features_dag_id(p)}' on {later}" in output]
    assert poked, f"no sensor looked for the feature runs of {later}:\n{output[-5000:]}"
    assert "Spark-Submit cmd" not in output, "infer ran before the features of its date"


def delta_files(table):
    """The data files of a Delta table's latest version, replayed from its JSON commits."""
    log = os.path.join(table, "_delta_log")
    assert os.path.isdir(log), f"{table} is not a Delta table"
    commits = sorted(glob.glob(os.path.join(log, "[0-9]" * 20 + ".json")))
    # this reader replays JSON commits only: fine beside a checkpoint as long as every commit since version 0 is there
    versions = [int(os.path.basename(c)[:20]) for c in commits]
    assert versions == list(range(len(versions))), f"{table}: commits missing (cleaned up after a checkpoint?)"
    files = {}
    for commit in commits:
        for line in open(commit):
            action = json.loads(line)
            assert "deletionVector" not in action.get("add", {}), "this reader does not apply deletion vectors"
            if "add" in action:
                files[action["add"]["path"]] = json.loads(action["add"].get("stats") or "{}").get("numRecords")
            elif "remove" in action:
                files.pop(action["remove"]["path"], None)
    return files


def sql_string(text):
    return "'" + text.replace("'", "''") + "'"


def view(db, name, lakehouse, path):
    """Makes the latest version of the Delta table at ``path`` the view ``name``; checks its rows against its log."""
    location = os.path.join(lakehouse, path)
    files = delta_files(location)
    assert files, f"{path} has no data files"
    paths = ", ".join(sql_string(os.path.join(location, f)) for f in files)
    db.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{paths}], hive_partitioning = true)")
    rows = db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    assert rows == sum(files.values()), f"{path}: its files hold {rows} rows, its log says {sum(files.values())}"
    return rows


def test_the_lakehouse_holds_the_chains_tables(chain):
    _, env, _ = chain
    lakehouse = env["LAKELINE_LAKEHOUSE"]
    day = date.fromisoformat(DATE)
    db = duckdb.connect()

    def one(sql):
        return db.execute(sql).fetchone()

    # feature groups: the loans group is every raw loan issued on or before the date, with its label
    counts = {p: view(db, p, lakehouse, f"feature_groups/{p}/v1") for p in PIPELINES}
    assert all(counts.values()), counts
    raw = os.path.join(lakehouse, "raw", "loans", "*.parquet")
    assert counts["loans"] == one(f"SELECT count(*) FROM read_parquet({sql_string(raw)}) WHERE issue_date <= '{DATE}'")[0]
    assert one("SELECT max(issue_date) FROM loans")[0] <= day
    assert one("SELECT count(*) FROM loans WHERE is_default IS NOT NULL")[0] > 0, "no labelled loans to train on"

    # validation reports: one per group's batch of the date, the gate's decision for the Delta version it made
    view(db, "reports", lakehouse, "_lakeline/validation_reports")
    reports = db.execute(
        "SELECT feature_group, logical_date, decision, success, delta_version, rows FROM reports").fetchall()
    assert sorted(r[0] for r in reports) == sorted(PIPELINES), reports
    for group, logical_date, decision, success, version, rows in reports:
        assert (logical_date, decision, success) == (DATE, "INGESTED", True), reports
        commits = glob.glob(os.path.join(lakehouse, "feature_groups", group, "v1", "_delta_log", "[0-9]" * 20 + ".json"))
        assert version == max(int(os.path.basename(c)[:20]) for c in commits), group
        assert rows == counts[group], group

    # the model registry: version 1, trained for the date on the three groups, from training dataset td1
    model_dir = os.path.join(lakehouse, "models", "loan_default", "v1")
    with open(os.path.join(model_dir, "model.json")) as f:
        model = json.load(f)
    assert model["logicalDate"] == DATE
    assert sorted(model["sourceVersions"]) == sorted(p + " v1" for p in PIPELINES)
    assert os.path.isdir(os.path.join(model_dir, "model", "stages")), "the MLlib PipelineModel is saved"
    assert model["trainingDataset"] == os.path.join(lakehouse, "training_datasets", "loan_default", "v1", "td1")
    dataset = view(db, "dataset", lakehouse, "training_datasets/loan_default/v1/td1/data")
    assert dataset == model["metrics"]["train_rows"] + model["metrics"]["test_rows"]

    # predictions: the date's run, scored by model version 1 (the champion its training promoted), for the loans of
    # the date: the daily DAG scores its own day (LAKELINE_INFERENCE_WINDOW_DAYS, default 1), so each loan once
    window = f"issue_date = DATE '{DATE}'"
    scored = view(db, "predictions", lakehouse, "predictions/loan_default")
    assert scored == one(f"SELECT count(*) FROM loans WHERE {window}")[0] > 0, "every loan of the date is scored once"
    versions, run_dates, first, last = one(
        "SELECT list(DISTINCT model_version), list(DISTINCT CAST(run_date AS VARCHAR)), min(issue_date),"
        " max(issue_date) FROM predictions")
    assert (versions, run_dates) == ([1], [DATE])
    assert first == last == day, (first, last)
    assert one(f"SELECT count(*) FROM predictions ANTI JOIN (SELECT * FROM loans WHERE {window}) USING (loan_id)")[0] == 0

    # monitoring: infer's drift of the date's batch against version 1's training data, one row per model input
    # and one for the scores; monitor's realised performance of that run, with the labels known at the date
    view(db, "drift", lakehouse, "_lakeline/monitoring_drift")
    drift = db.execute(
        "SELECT feature, model_version, CAST(run_date AS VARCHAR), rows, status FROM drift ORDER BY position"
    ).fetchall()
    assert [d[0] for d in drift] == model["features"] + ["score"], drift
    assert {d[1:4] for d in drift} == {(1, DATE, scored)}, drift
    assert scored < 200 and {d[4] for d in drift} == {"few_rows"}, drift
    view(db, "performance", lakehouse, "_lakeline/monitoring_performance")
    performance = db.execute(
        "SELECT model_version, CAST(run_date AS VARCHAR), CAST(labels_as_of AS VARCHAR), rows, labelled <= rows,"
        " test_auc FROM performance").fetchall()
    assert performance == [(1, DATE, DATE, scored, True, pytest.approx(model["metrics"]["areaUnderROC"]))], performance

    # the job-runs log: generate (spark-submit by hand, so no Airflow run id), then one record per Airflow task, named
    # by its DAG, task, DAG run and try, with the Airflow context the task's process had, all succeeded
    view(db, "runs", lakehouse, "_lakeline/job_runs")
    runs = db.execute(
        "SELECT command, run_id, record_id, status, exit_code, logical_date,"
        " map_from_entries(environment)['airflow.dag_id'] FROM runs ORDER BY commit_version").fetchall()
    tasks = [(factory.features_dag_id(p), "features") for p in PIPELINES] + [
        (factory.TRAINING_DAG, "train"), (factory.INFERENCE_DAG, "infer"), (factory.INFERENCE_DAG, "monitor")]
    assert [r[0] for r in runs] == ["generate"] + [t for _, t in tasks], runs
    assert runs[0][1] == runs[0][2] and runs[0][6] is None, runs[0]
    for (dag_id, task_id), run_row in zip(tasks, runs[1:]):
        assert re.fullmatch(rf"{dag_id}/{task_id}/[^/]+/1", run_row[1]), run_row
        assert run_row[3:6] == ("succeeded", 0, DATE), run_row
        assert run_row[6] == dag_id, run_row


def test_the_maintenance_dag_compacts_the_tables_and_keeps_the_training_dataset_recreatable(chain):
    # last in this file: it changes the tables' Delta versions, which the test above checks
    root, env, _ = chain
    lakehouse = env["LAKELINE_LAKEHOUSE"]
    db = duckdb.connect()
    loans_before = view(db, "loans_before", lakehouse, "feature_groups/loans/v1")
    code, output = run([AIRFLOW, "dags", "test", factory.MAINTENANCE_DAG, DATE], env, root, root / "maintenance.log")
    assert code == 0, f"airflow dags test {factory.MAINTENANCE_DAG} " + (
        "got stuck" if code is None else f"exited with {code}") + ":\n" + output[-8000:]
    assert "✔ maintenance (" in output, output[-5000:]
    assert "training dataset loan_default v1 td1: recreatable" in output, output[-5000:]
    assert "NOT recreatable" not in output, output[-5000:]
    for table in [f"feature_groups/{p}/v1" for p in PIPELINES] + ["_lakeline/job_runs", "predictions/loan_default"]:
        assert re.search(re.escape(table) + r"\s{3,}", output), f"{table} not maintained:\n{output[-5000:]}"
    assert view(db, "loans_after", lakehouse, "feature_groups/loans/v1") == loans_before, "the rows are unchanged"

    view(db, "runs", lakehouse, "_lakeline/job_runs")
    last = db.execute(
        "SELECT command, run_id, status, logical_date FROM runs ORDER BY commit_version DESC LIMIT 1").fetchone()
    assert last[0] == "maintain" and last[2:] == ("succeeded", DATE), last
    assert re.fullmatch(rf"{factory.MAINTENANCE_DAG}/maintain/[^/]+/1", last[1]), last
