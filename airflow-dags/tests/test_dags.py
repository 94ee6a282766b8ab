"""The DAGs as Airflow loads them, and their arguments as the jar parses them."""

import glob
import os
import subprocess
import types
from datetime import datetime, timedelta, timezone

import pytest
from airflow.models import DagBag

from lakeline_airflow import factory, launch
from lakeline_airflow.settings import REPO, Settings

DAGS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIPELINES = ["card_spend", "credit_reports", "loans"]
FEATURE_DAGS = [factory.features_dag_id(p) for p in PIPELINES]
LOGICAL_DATE = "2024-06-30"
RUN_ID = "scheduled__2024-06-30T00:00:00+00:00"


@pytest.fixture(scope="module")
def dagbag():
    # examples are off through AIRFLOW__CORE__LOAD_EXAMPLES (conftest.py); Airflow 3 dropped include_examples
    return DagBag(dag_folder=os.path.join(DAGS, "lakeline_dags.py"))


def test_every_dag_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dag_ids) == sorted(FEATURE_DAGS + [factory.TRAINING_DAG, factory.INFERENCE_DAG, factory.MAINTENANCE_DAG])


def scheduler_timetable(dag):
    """The DAG's timetable as the scheduler sees it: Airflow 3 schedules from the serialized DAG."""
    try:  # Airflow 3
        from airflow.serialization.serialized_objects import DagSerialization as serialization
    except ImportError:  # Airflow 2.10
        from airflow.serialization.serialized_objects import SerializedDAG as serialization
    return serialization.from_dict(serialization.to_dict(dag)).timetable


def next_run(dag, earliest=None, after=None):
    """The scheduler's next run of ``dag``: the first whose period starts at ``earliest`` or later, or the one after
    the run whose data interval is ``after``."""
    from airflow.timetables.base import TimeRestriction

    return scheduler_timetable(dag).next_dagrun_info(
        last_automated_data_interval=after, restriction=TimeRestriction(earliest=earliest, latest=None, catchup=True))


UTC = timezone.utc
MONDAY = datetime(2024, 7, 1, tzinfo=UTC)  # a Monday, 00:00 UTC
# for each DAG: the first run from MONDAY, (when it starts, its {{ ds }}): every run works on the period that has just
# ended, so the daily run that starts at 00:00 on 2024-07-02 is for 2024-07-01, the UTC day the jar's --date names
SCHEDULED = {
    **{d: (datetime(2024, 7, 2, tzinfo=UTC), "2024-07-01") for d in FEATURE_DAGS},
    factory.INFERENCE_DAG: (datetime(2024, 7, 2, tzinfo=UTC), "2024-07-01"),
    factory.TRAINING_DAG: (datetime(2024, 7, 8, tzinfo=UTC), "2024-07-01"),  # Mondays 00:00: the week before
    factory.MAINTENANCE_DAG: (datetime(2024, 7, 14, 3, tzinfo=UTC), "2024-07-07"),  # Sundays 03:00
}
PERIOD = {factory.TRAINING_DAG: timedelta(days=7), factory.MAINTENANCE_DAG: timedelta(days=7)}


@pytest.mark.parametrize("cron_data_intervals", ["False", "True"])
def test_every_scheduled_run_is_for_the_period_that_has_just_ended(cron_data_intervals, monkeypatch):
    # Airflow 3 makes a cron string a CronTriggerTimetable ([scheduler] create_cron_data_intervals is False there,
    # True on 2.10 and in Airflow's unit-test configuration), whose run at 00:00 on D has {{ ds }} = D, a day that has
    # just begun; the DAGs' CronDataIntervalTimetable in UTC gives D-1 whatever the setting
    monkeypatch.setenv("AIRFLOW__SCHEDULER__CREATE_CRON_DATA_INTERVALS", cron_data_intervals)
    dags = factory.build_dags(Settings(jar=job_jar()))
    assert sorted(SCHEDULED) == sorted(dags)
    for dag_id, (starts, ds) in SCHEDULED.items():
        dag = dags[dag_id]
        run = next_run(dag, earliest=MONDAY)
        period = PERIOD.get(dag_id, timedelta(days=1))
        assert run.run_after == starts, (dag_id, run)
        assert run.data_interval.end == starts, (dag_id, run)
        assert run.data_interval.start == starts - period, (dag_id, run)
        assert run.logical_date.strftime("%Y-%m-%d") == ds, (dag_id, run)
        # the next run takes the next period, with no gap and no overlap
        following = next_run(dag, after=run.data_interval)
        assert following.data_interval.start == starts and following.run_after == starts + period, (dag_id, following)
        assert dag.start_date.utcoffset() == timedelta(0), (dag_id, dag.start_date)


def test_catchup_runs_and_retries(dagbag):
    for dag_id in SCHEDULED:
        dag = dagbag.dags[dag_id]
        assert type(scheduler_timetable(dag)).__name__ == "CronDataIntervalTimetable", dag_id
        assert dag.catchup is False, dag_id
        assert dag.max_active_runs == 1, dag_id
        for task in dag.tasks:
            assert task.retries == 2, task.task_id
            assert task.retry_delay.total_seconds() == 600, task.task_id


def test_inference_waits_for_every_feature_pipeline_of_the_same_date(dagbag):
    dag = dagbag.dags[factory.INFERENCE_DAG]
    assert dag.get_task("infer").upstream_task_ids == {"wait_for_features_" + p for p in PIPELINES}
    assert dag.get_task("infer").downstream_task_ids == {"monitor"}
    assert dag.get_task("monitor").upstream_task_ids == {"infer"}
    assert dag.get_task("monitor").downstream_task_ids == set()
    for p in PIPELINES:
        sensor = dag.get_task("wait_for_features_" + p)
        assert sensor.external_dag_id == factory.features_dag_id(p)
        assert sensor.mode == "reschedule"
    assert [t.task_id for t in dagbag.dags[factory.TRAINING_DAG].tasks] == ["train"]
    assert [t.task_id for t in dagbag.dags[factory.MAINTENANCE_DAG].tasks] == ["maintain"]
    for p in PIPELINES:
        assert [t.task_id for t in dagbag.dags[factory.features_dag_id(p)].tasks] == ["features"]


def jar_arguments(task):
    """The arguments a task hands to the jar, whatever the launch mode."""
    name = type(task).__name__
    if name == "SparkSubmitOperator":
        return task.application_args
    if name == "DatabricksSubmitRunOperator":
        return task.json["tasks"][0]["spark_jar_task"]["parameters"]
    if name == "EmrAddStepsOperator":
        args = task.steps[0]["HadoopJarStep"]["Args"]  # the API's step shape, which the operator hands to boto3
        return args[args.index(launch.MAIN_CLASS) + 2:]  # after --class MAIN, which comes last, and the jar
    if name == "EmrServerlessStartJobOperator":
        return task.job_driver["sparkSubmit"]["entryPointArguments"]
    raise AssertionError(f"no jar arguments in {name}")


def rendered(task, dag, value, try_number=2, run_id=RUN_ID):
    context = {"ds": LOGICAL_DATE, "ds_nodash": LOGICAL_DATE.replace("-", ""), "dag": dag, "task": task,
               "run_id": run_id, "ti": types.SimpleNamespace(try_number=try_number)}
    return task.render_template(value, context)


def job_task(dag, task_id=None):
    return next(t for t in dag.tasks if t.task_id in ((task_id,) if task_id else ("features", "train", "infer")))


def every_mode(tmp_path):
    jars = {"spark_submit": job_jar(), "databricks": "/Volumes/main/lakeline/jars/lakeline.jar",
            "emr": "s3://bucket/lakeline.jar", "emr_serverless": "s3://bucket/lakeline.jar"}
    return {mode: factory.build_dags(Settings(mode=mode, lakehouse=str(tmp_path / "lake"), jar=jar))
            for mode, jar in jars.items()}


# every DAG's job task(s): (DAG id, task id)
JOBS = [(d, "features") for d in FEATURE_DAGS] + [
    (factory.TRAINING_DAG, "train"), (factory.INFERENCE_DAG, "infer"), (factory.INFERENCE_DAG, "monitor"),
    (factory.MAINTENANCE_DAG, "maintain")]


def test_every_launch_mode_passes_the_same_arguments_with_the_logical_date(tmp_path):
    modes = every_mode(tmp_path)
    for dag_id, task_id in JOBS:
        args = {}
        for mode, dags in modes.items():
            task = job_task(dags[dag_id], task_id)
            args[mode] = rendered(task, dags[dag_id], jar_arguments(task))
        assert len({tuple(a) for a in args.values()}) == 1, f"{dag_id}.{task_id}: {args}"
        one = args["spark_submit"]
        assert one[0] == task_id, one
        assert one[one.index("--date") + 1] == LOGICAL_DATE, one
        assert one[one.index("--run-id") + 1] == f"{dag_id}/{task_id}/{RUN_ID}/2", "the job-runs log names the try"
        assert "--fail-on-alert" not in one, "drift is reported, not a failed DAG run, unless asked for"


def test_every_databricks_try_has_its_own_idempotency_token_of_at_most_64_characters(tmp_path):
    # Databricks returns the run it has for a known token, even a failed one: a retry or a clear needs a new token
    conf = tmp_path / "conf"
    (conf / "pipelines").mkdir(parents=True)
    long_name = "a_pipeline_with_a_name_long_enough_to_push_any_readable_token_past_sixty_four_characters"
    (conf / "pipelines" / f"{long_name}.yaml").write_text(f"name: {long_name}\nfeature_groups: [{{name: g}}]\n")
    dags = factory.build_dags(Settings(mode="databricks", profile="databricks", conf_dir=str(conf), jar="/Volumes/main/lakeline/lakeline.jar"))
    dag = dags[factory.features_dag_id(long_name)]
    task = job_task(dag)

    def token(try_number, run_id=RUN_ID):
        return rendered(task, dag, task.json["idempotency_token"], try_number, run_id)

    tokens = {token(1), token(2), token(3), token(1, "manual__2024-06-30T08:00:00+00:00")}
    assert len(tokens) == 4, "each try of each DAG run starts its own Databricks run"
    assert token(2) == token(2), "the same try (the hook resubmitting its request) gets the run it started"
    for t in tokens:
        assert len(t) <= 64 and t.startswith("lakeline-"), t
    other = dags[factory.TRAINING_DAG]
    assert rendered(job_task(other), other, job_task(other).json["idempotency_token"]) != token(2)


def test_a_new_databricks_job_cluster_runs_on_jdk_17():
    # the jar is Java 17 bytecode: 16.4 LTS defaults to JDK 17, 14.3 and 15.4 LTS to JDK 8
    dags = factory.build_dags(Settings(mode="databricks", profile="databricks", jar="/Volumes/main/lakeline/lakeline.jar"))
    for dag in dags.values():
        for task in dag.tasks:
            if type(task).__name__ == "DatabricksSubmitRunOperator":
                assert task.json["tasks"][0]["new_cluster"]["spark_version"] == "16.4.x-scala2.12", task.task_id
                assert task.json["tasks"][0]["new_cluster"]["data_security_mode"] == "SINGLE_USER", task.task_id


def test_an_emr_job_is_one_task_that_waits_for_it_so_a_retry_submits_it_again(tmp_path):
    jar = "s3://bucket/lakeline.jar"
    for wait_hours in (None, 10):
        extra = {} if wait_hours is None else {"emr_wait_hours": wait_hours}
        hours = wait_hours or 6
        emr = factory.build_dags(Settings(mode="emr", profile="emr", jar=jar, **extra))
        train = emr[factory.TRAINING_DAG]
        assert [t.task_id for t in train.tasks] == ["train"], "no separate sensor that would re-watch a failed step"
        inference = emr[factory.INFERENCE_DAG]
        assert inference.get_task("monitor").upstream_task_ids == {"infer"}
        serverless = factory.build_dags(Settings(mode="emr_serverless", profile="emr", jar=jar, **extra))
        steps = tasks_of(emr.values(), "EmrAddStepsOperator")
        runs = tasks_of(serverless.values(), "EmrServerlessStartJobOperator")
        assert len(steps) == len(runs) == len(FEATURE_DAGS) + 4, (steps, runs)  # features, train, infer, monitor, maintain
        for task in steps + runs:
            # the serverless operator's default (25 polls a minute apart) cancels a job after 25 minutes
            assert task.wait_for_completion is True, task.task_id
            assert task.waiter_delay == 60, task.task_id
            assert task.waiter_delay * task.waiter_max_attempts == hours * 3600, task.task_id
    assert Settings.from_env({"LAKELINE_EMR_WAIT_HOURS": "2.5"}).emr_waiter() == (60, 150)


def tasks_of(dags, operator):
    """The tasks of these DAGs whose operator class is named ``operator``."""
    return [task for dag in dags for task in dag.tasks if type(task).__name__ == operator]


def test_the_dags_folder_holds_only_the_lakeline_dags():
    # .airflowignore: Airflow pointed at airflow-dags/ parses lakeline_dags.py, not the package or the tests
    bag = DagBag(dag_folder=DAGS)
    assert bag.import_errors == {}
    assert sorted(bag.dag_ids) == sorted(FEATURE_DAGS + [factory.TRAINING_DAG, factory.INFERENCE_DAG, factory.MAINTENANCE_DAG])
    assert [os.path.basename(stat.file) for stat in bag.dagbag_stats] == ["lakeline_dags.py"]


def test_the_monitor_fails_on_drift_at_alert_only_when_asked_to(tmp_path):
    assert Settings.from_env({}).monitor_fail_on_alert is False
    assert Settings.from_env({"LAKELINE_MONITOR_FAIL_ON_ALERT": "true"}).monitor_fail_on_alert is True
    dags = factory.build_dags(Settings(lakehouse=str(tmp_path / "lake"), jar=job_jar(), monitor_fail_on_alert=True))
    dag = dags[factory.INFERENCE_DAG]
    args = rendered(dag.get_task("monitor"), dag, jar_arguments(dag.get_task("monitor")))
    assert args[:2] == ["monitor", "--fail-on-alert"], args
    assert args[args.index("--date") + 1] == LOGICAL_DATE, args
    assert "--fail-on-alert" not in jar_arguments(dag.get_task("infer"))


def job_jar():
    found = sorted(glob.glob(os.path.join(REPO, "jobs", "target", "lakeline-*-spark35-with-delta.jar")))
    assert found, "build the job jar first: mvn -B package -DskipTests (run-tests does it before these tests)"
    return found[-1]


def spark_jars():
    import pyspark

    return os.path.join(os.path.dirname(pyspark.__file__), "jars", "*")


OWN_MODEL = {"model_file": os.path.join(REPO, "conf", "models", "loan_default.yaml"), "model_name": "loans_v2"}


@pytest.mark.parametrize("dag_id, task_id, settings", [(d, t, {}) for d, t in JOBS] + [
    (factory.INFERENCE_DAG, "monitor", {"monitor_fail_on_alert": True}),
    (factory.TRAINING_DAG, "train", OWN_MODEL),
    (factory.INFERENCE_DAG, "infer", OWN_MODEL),
    (factory.INFERENCE_DAG, "infer", {"inference_window_days": 7}),
    (factory.INFERENCE_DAG, "monitor", OWN_MODEL)])
def test_the_jar_accepts_the_rendered_arguments(dag_id, task_id, settings, tmp_path):
    dags = factory.build_dags(Settings(lakehouse=str(tmp_path / "lake"), **settings))
    task = job_task(dags[dag_id], task_id)
    args = rendered(task, dags[dag_id], jar_arguments(task))
    result = subprocess.run(
        ["java", "-cp", job_jar() + os.pathsep + spark_jars(), launch.MAIN_CLASS, *args, "--dry-run"],
        capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dry run" in result.stdout, result.stdout
    assert "logical date: " + LOGICAL_DATE in result.stdout, result.stdout
    assert f"run id: {dag_id}/{task_id}/{RUN_ID}/2," in result.stdout, result.stdout
    if settings.get("monitor_fail_on_alert"):
        assert "(an alert fails the job)" in result.stdout, result.stdout
    if task_id == "infer":  # the daily run scores its own day's rows, each row once
        days = settings.get("inference_window_days", 1)
        first = (datetime.fromisoformat(LOGICAL_DATE).date() - timedelta(days=days)).isoformat()
        assert f"dated after {first} up to {LOGICAL_DATE} ({days} day{'s' if days > 1 else ''})" in result.stdout, result.stdout
    if settings.get("model_name"):  # LAKELINE_MODEL_FILE and LAKELINE_MODEL_NAME reach the job
        assert "model " + settings["model_name"] in result.stdout.replace("model: ", "model "), result.stdout
        assert settings["model_file"] in result.stdout, result.stdout
    assert not (tmp_path / "lake").exists(), "a dry run writes nothing"


@pytest.mark.parametrize("env, message", [
    ({"LAKELINE_LAUNCH_MODE": "kubernetes"}, "LAKELINE_LAUNCH_MODE='kubernetes' is not one of"),
    ({"LAKELINE_JAR": "/no/such/lakeline.jar"}, "The job jar /no/such/lakeline.jar does not exist"),
    ({"LAKELINE_CONF_DIR": "/no/such/conf"}, "No pipeline files in /no/such/conf/pipelines"),
    ({"LAKELINE_LAUNCH_MODE": "emr", "LAKELINE_JAR": "/tmp/lakeline.jar"}, "must be an s3:// path for emr"),
    ({"LAKELINE_LAUNCH_MODE": "databricks", "LAKELINE_JAR": "lakeline.jar"}, "is not a path Databricks can read"),
    ({"LAKELINE_MONITOR_FAIL_ON_ALERT": "maybe"}, "LAKELINE_MONITOR_FAIL_ON_ALERT='maybe' is not true or false"),
    ({"LAKELINE_EMR_WAIT_HOURS": "soon"}, "LAKELINE_EMR_WAIT_HOURS='soon' is not a number of hours"),
    ({"LAKELINE_EMR_WAIT_HOURS": "0"}, "LAKELINE_EMR_WAIT_HOURS=0.0 must be a number of hours above 0"),
    ({"LAKELINE_INFERENCE_WINDOW_DAYS": "a week"}, "LAKELINE_INFERENCE_WINDOW_DAYS='a week' is not a whole number of days"),
    ({"LAKELINE_INFERENCE_WINDOW_DAYS": "0"}, "LAKELINE_INFERENCE_WINDOW_DAYS='0' is not a whole number of days from 1"),
    ({"LAKELINE_LAUNCH_MODE": "databricks", "LAKELINE_JAR": "/Volumes/main/lakeline/lakeline.jar"},
     "LAKELINE_LAUNCH_MODE=databricks needs a lakehouse the cluster keeps"),
    ({"LAKELINE_LAUNCH_MODE": "emr", "LAKELINE_JAR": "s3://bucket/lakeline.jar", "LAKELINE_PROFILE": "local"},
     "LAKELINE_LAUNCH_MODE=emr needs a lakehouse the cluster keeps: set LAKELINE_LAKEHOUSE"),
])
def test_a_bad_configuration_is_an_import_error_that_names_it(env, message, monkeypatch):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    bag = DagBag(dag_folder=os.path.join(DAGS, "lakeline_dags.py"))
    assert not bag.dag_ids
    errors = "\n".join(bag.import_errors.values())
    assert message in errors, errors


def test_a_pipeline_file_without_groups_is_an_import_error(tmp_path, monkeypatch):
    (tmp_path / "pipelines").mkdir()
    (tmp_path / "pipelines" / "broken.yaml").write_text("name: broken\nsource: {name: x}\n")
    monkeypatch.setenv("LAKELINE_CONF_DIR", str(tmp_path))
    bag = DagBag(dag_folder=os.path.join(DAGS, "lakeline_dags.py"))
    assert "broken.yaml names no feature_groups" in "\n".join(bag.import_errors.values())


def test_a_pipeline_named_unlike_its_file_is_an_import_error(tmp_path, monkeypatch):
    # the job would be given --pipeline card_spend and run conf/pipelines/card_spend.yaml (or the bundled one)
    (tmp_path / "pipelines").mkdir()
    (tmp_path / "pipelines" / "my_loans.yaml").write_text("name: card_spend\nfeature_groups: [{name: g}]\n")
    monkeypatch.setenv("LAKELINE_CONF_DIR", str(tmp_path))
    bag = DagBag(dag_folder=os.path.join(DAGS, "lakeline_dags.py"))
    assert not bag.dag_ids
    errors = "\n".join(bag.import_errors.values())
    assert "my_loans.yaml is named 'card_spend' but its file is my_loans.yaml" in errors, errors
    assert "rename the file to card_spend.yaml or set name: my_loans" in errors, errors
