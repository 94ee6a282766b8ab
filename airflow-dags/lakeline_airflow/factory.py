"""The DAG factory: one feature DAG per pipeline file, a training DAG and an inference DAG.

Schedules and run behaviour (docs/airflow.md):
- features: daily; ``catchup=False`` (turning a DAG on does not replay history; backfill a range explicitly with
  ``airflow backfill create`` / ``airflow dags backfill``, or with the jar's own resumable ``features --from --to``);
  ``max_active_runs=1`` so dates commit in order; a rerun of a date is a no-op in the jar.
- training: weekly (Mondays), ``max_active_runs=1``, no catch-up; the jar trains on loans labelled before the date.
- inference: daily, after the features it reads: one sensor per feature DAG waits for the same logical date; ``infer``
  scores that day's rows (``--window-days 1``, LAKELINE_INFERENCE_WINDOW_DAYS), so each row is scored once; then
  ``monitor`` joins the labels known at the date to earlier runs' predictions and reports the drift ``infer`` recorded
  (with ``--fail-on-alert`` only when LAKELINE_MONITOR_FAIL_ON_ALERT is set: drift is shown, not a failed run).
Every task retries twice, ten minutes apart; the jar's exit codes make user errors fail fast and visibly.

Every schedule is a ``CronDataIntervalTimetable`` in UTC, on Airflow 2.10 and 3 alike: the run that starts at 00:00
UTC on day D covers the interval [D-1, D) and its ``{{ ds }}`` is D-1, the day that has just ended (the jar's
``--date D`` is the UTC day [D, D+1)). A bare cron string would not do: Airflow 3 turns it into a
``CronTriggerTimetable`` (``[scheduler] create_cron_data_intervals`` defaults to False there), whose run at 00:00 on
D has ``{{ ds }}`` = D, a day that has just started.
"""

import glob
import os
from datetime import datetime, timedelta, timezone

import yaml

from .launch import TEMPLATE_MACROS, job_arguments, job_tasks
from .settings import Settings

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.10
    from airflow import DAG

try:  # Airflow 3: the Task SDK's timetable (3.3.2 has it)
    from airflow.sdk import CronDataIntervalTimetable
except ImportError:  # Airflow 2.10 (and Airflow 3 releases whose SDK lacks it): the core class
    from airflow.timetables.interval import CronDataIntervalTimetable

try:  # Airflow 3: the standard provider
    from airflow.providers.standard.sensors.external_task import ExternalTaskSensor
except ImportError:  # Airflow 2.10
    from airflow.sensors.external_task import ExternalTaskSensor

START = datetime(2024, 1, 1, tzinfo=timezone.utc)  # aware: a naive one would follow [core] default_timezone
DAILY = "0 0 * * *"  # 00:00 UTC
WEEKLY_TRAINING = "0 0 * * 1"  # Mondays 00:00 UTC
WEEKLY_MAINTENANCE = "0 3 * * 0"  # Sundays 03:00 UTC
DEFAULT_ARGS = {"owner": "lakeline", "retries": 2, "retry_delay": timedelta(minutes=10), "depends_on_past": False}
TRAINING_DAG = "lakeline_training"
INFERENCE_DAG = "lakeline_inference"
MAINTENANCE_DAG = "lakeline_maintenance"


def features_dag_id(pipeline):
    return "lakeline_features_" + pipeline


def pipelines(conf_dir):
    """(name, file, the groups it writes) of every pipeline file in ``conf_dir``/pipelines, by name."""
    found = []
    for path in sorted(glob.glob(os.path.join(conf_dir, "pipelines", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            try:
                doc = yaml.safe_load(f)
            except yaml.YAMLError as e:
                raise ValueError(f"Pipeline file {path} is not valid YAML: {e}") from e
        if not isinstance(doc, dict) or not doc.get("feature_groups"):
            raise ValueError(f"Pipeline file {path} names no feature_groups: see docs/feature-pipelines.md.")
        stem = os.path.splitext(os.path.basename(path))[0]
        name = doc.get("name") or stem
        if name != stem:
            # a job finds its pipeline by file name (conf/pipelines/<name>.yaml in the jar's working folder, else the
            # bundled one): another name would run another file, or none
            raise ValueError(
                f"Pipeline file {path} is named '{name}' but its file is {os.path.basename(path)}: a job is given "
                f"--pipeline <name> and runs conf/pipelines/<name>.yaml, so rename the file to {name}.yaml or set "
                f"name: {stem}.")
        groups = [g.get("name") for g in doc.get("feature_groups", [])]
        found.append((name, path, groups))
    return found


def schedule(cron):
    """A data-interval schedule in UTC: the run at the end of a period gets the period's start as ``{{ ds }}``."""
    return CronDataIntervalTimetable(cron, timezone="UTC")


def _dag(dag_id, description, cron, tag):
    return DAG(
        dag_id=dag_id,
        description=description,
        schedule=schedule(cron),
        start_date=START,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["lakeline", tag],
        user_defined_macros=dict(TEMPLATE_MACROS),
    )


def build_dags(settings=None):
    """Every Lakeline DAG, by id."""
    settings = (settings or Settings.from_env()).check()
    dags = {}
    found = pipelines(settings.conf_dir)
    for name, path, groups in found:
        dag = _dag(
            features_dag_id(name),
            f"Feature pipeline {name}: {os.path.basename(path)} → feature groups {', '.join(groups)}",
            DAILY,
            "features",
        )
        with dag:
            job_tasks(settings, "features", job_arguments(settings, "features", "--pipeline", settings.pipeline_ref(name, path)))
        dags[dag.dag_id] = dag

    training = _dag(
        TRAINING_DAG, "Training: point-in-time training dataset → MLlib model → new model version", WEEKLY_TRAINING, "training")
    with training:
        job_tasks(settings, "train", job_arguments(settings, "train", *settings.model_options()))
    dags[training.dag_id] = training

    inference = _dag(
        INFERENCE_DAG,
        "Batch inference of the day's loans, once the feature pipelines of the same date have run, then monitoring",
        DAILY,
        "inference",
    )
    with inference:
        first, last = job_tasks(
            settings, "infer", job_arguments(settings, "infer", *settings.infer_options(), *settings.model_options()))
        monitor, _ = job_tasks(
            settings, "monitor", job_arguments(settings, "monitor", *settings.monitor_options(), *settings.model_options()))
        last >> monitor
        for name, _, _ in found:
            wait = ExternalTaskSensor(
                task_id="wait_for_features_" + name,
                external_dag_id=features_dag_id(name),
                external_task_id=None,  # the whole DAG run of the same logical date
                mode="reschedule",
                poke_interval=300,
                timeout=12 * 3600,
            )
            wait >> first
    dags[inference.dag_id] = inference

    maintenance = _dag(
        MAINTENANCE_DAG,
        "Maintenance: OPTIMIZE and VACUUM of every table, keeping the versions training datasets read",
        WEEKLY_MAINTENANCE,
        "maintenance",
    )
    with maintenance:
        job_tasks(settings, "maintain", job_arguments(settings, "maintain"))
    dags[maintenance.dag_id] = maintenance
    return dags
