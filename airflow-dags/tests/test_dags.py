"""The DAGs as Airflow loads them, and their arguments as the jar parses them."""

import glob
import os
import subprocess
import types

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


def test_schedules_catchup_runs_and_retries(dagbag):
    expected = {d: "@daily" for d in FEATURE_DAGS}
    expected[factory.TRAINING_DAG] = "0 0 * * 1"
    expected[factory.INFERENCE_DAG] = "@daily"
    expected[factory.MAINTENANCE_DAG] = "0 3 * * 0"
    for dag_id, schedule in expected.items():
        dag = dagbag.dags[dag_id]
        # Airflow 3 keeps the schedule as given; 2.10 as schedule_interval
        assert (getattr(dag, "schedule", None) or dag.schedule_interval) == schedule, dag_id
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
        args = task.steps[0]["HadoopJarStep"]["Args"]
        return args[args.index(launch.MAIN_CLASS) + 2:]  # after --class MAIN, which comes last, and the jar
    if name == "EmrServerlessStartJobOperator":
        return task.job_driver["sparkSubmit"]["entryPointArguments"]
    raise AssertionError(f"no jar arguments in {name}")


def rendered(task, dag, value):
    context = {"ds": LOGICAL_DATE, "ds_nodash": LOGICAL_DATE.replace("-", ""), "dag": dag, "task": task,
               "run_id": RUN_ID, "ti": types.SimpleNamespace(try_number=2)}
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
    databricks = modes["databricks"][factory.features_dag_id("credit_reports")]
    token = rendered(job_task(databricks), databricks, job_task(databricks).json["idempotency_token"])
    assert token == "lakeline-lakeline_features_credit_reports-features-20240630"
    assert len(token) <= 64, "Databricks accepts idempotency tokens of up to 64 characters"
    emr = modes["emr"][factory.TRAINING_DAG]
    assert [t.task_id for t in emr.tasks] == ["train", "train_done"]
    assert emr.get_task("train_done").upstream_task_ids == {"train"}
    emr = modes["emr"][factory.INFERENCE_DAG]
    assert emr.get_task("monitor").upstream_task_ids == {"infer_done"}, "monitor starts once the infer step is done"
    assert emr.get_task("monitor_done").upstream_task_ids == {"monitor"}


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


@pytest.mark.parametrize("dag_id, task_id, settings", [(d, t, {}) for d, t in JOBS] + [
    (factory.INFERENCE_DAG, "monitor", {"monitor_fail_on_alert": True})])
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
    assert not (tmp_path / "lake").exists(), "a dry run writes nothing"


@pytest.mark.parametrize("env, message", [
    ({"LAKELINE_LAUNCH_MODE": "kubernetes"}, "LAKELINE_LAUNCH_MODE='kubernetes' is not one of"),
    ({"LAKELINE_JAR": "/no/such/lakeline.jar"}, "The job jar /no/such/lakeline.jar does not exist"),
    ({"LAKELINE_CONF_DIR": "/no/such/conf"}, "No pipeline files in /no/such/conf/pipelines"),
    ({"LAKELINE_LAUNCH_MODE": "emr", "LAKELINE_JAR": "/tmp/lakeline.jar"}, "must be an s3:// path for emr"),
    ({"LAKELINE_LAUNCH_MODE": "databricks", "LAKELINE_JAR": "lakeline.jar"}, "is not a path Databricks can read"),
    ({"LAKELINE_MONITOR_FAIL_ON_ALERT": "maybe"}, "LAKELINE_MONITOR_FAIL_ON_ALERT='maybe' is not true or false"),
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
