"""Where the jar, the pipeline files and the lakehouse are, and how jobs are launched: environment variables.

LAKELINE_LAUNCH_MODE      spark_submit (default) | databricks | emr | emr_serverless
LAKELINE_JAR              the job jar: a path for spark_submit; databricks: a /Volumes/, /Workspace/, dbfs:/, s3://,
                          abfss:// or gs:// path; emr, emr_serverless: an s3:// path
                          (default: jobs/target/lakeline-<version>-spark35-with-delta.jar of this repository)
LAKELINE_CONF_DIR         the folder with pipelines/*.yaml the DAGs are made from (default: conf/ of this repository)
LAKELINE_PIPELINE_DIR     where the job's driver finds those files, if not by name: by default a job gets
                          --pipeline <name>, which the jar resolves to conf/pipelines/<name>.yaml in its working
                          directory, else to the copy bundled in the jar
LAKELINE_LAKEHOUSE        --lakehouse for every job (default: the profile's lakehouse.root); in the databricks and
                          emr modes, this or a cluster LAKELINE_PROFILE is required
LAKELINE_PROFILE          --profile for every job: local, emr or databricks (default: none, the jar's default)
LAKELINE_SPARK_CONN_ID    spark_submit: the Airflow Spark connection (default: spark_default)
LAKELINE_DATABRICKS_CONN_ID, LAKELINE_DATABRICKS_CLUSTER_ID (an existing cluster; else a new job cluster)
LAKELINE_EMR_CLUSTER_ID   emr: the cluster (job flow) to add steps to;   LAKELINE_AWS_CONN_ID (default aws_default)
LAKELINE_EMR_SERVERLESS_APP_ID, LAKELINE_EMR_ROLE_ARN   emr_serverless: the application and its job role
LAKELINE_EMR_WAIT_HOURS   emr, emr_serverless: how long a task waits for its step or job run, polling once a minute,
                          before it fails (EMR Serverless then cancels the job run); default 6: longer than the
                          longest job
LAKELINE_MONITOR_FAIL_ON_ALERT   true: the inference DAG's monitor task gets --fail-on-alert, so drift at alert
                          fails it (exit code 3); default false: drift is reported, the DAG run succeeds
LAKELINE_MODEL_FILE       --model-file for train, infer and monitor: your own model's file, a path the job's driver
                          reads (default: none, the jar's model.file, the demo's loan model)
LAKELINE_MODEL_NAME       --set model.name=<name> for train, infer and monitor: its name in the registry
LAKELINE_INFERENCE_WINDOW_DAYS   --window-days for the daily infer: the days of rows, ending with the logical date,
                          that one run scores; default 1, the run's own day, so that every row is scored once (a
                          longer window scores each row again on every day it spans)
"""

import glob
import math
import os
from dataclasses import dataclass, field

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODES = ("spark_submit", "databricks", "emr", "emr_serverless")
EMR_POLL_SECONDS = 60
FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False, "": False}


def _default_jar():
    found = sorted(glob.glob(os.path.join(REPO, "jobs", "target", "lakeline-*-spark35-with-delta.jar")))
    return found[-1] if found else os.path.join(REPO, "jobs", "target", "lakeline-spark35-with-delta.jar")


@dataclass(frozen=True)
class Settings:
    mode: str = "spark_submit"
    jar: str = field(default_factory=_default_jar)
    conf_dir: str = os.path.join(REPO, "conf")
    pipeline_dir: str = None
    lakehouse: str = None
    profile: str = None
    spark_conn_id: str = "spark_default"
    databricks_conn_id: str = "databricks_default"
    databricks_cluster_id: str = None
    aws_conn_id: str = "aws_default"
    emr_cluster_id: str = "{{ var.value.lakeline_emr_cluster_id }}"
    emr_serverless_app_id: str = "{{ var.value.lakeline_emr_serverless_app_id }}"
    emr_role_arn: str = "{{ var.value.lakeline_emr_role_arn }}"
    monitor_fail_on_alert: bool = False
    emr_wait_hours: float = 6.0
    model_file: str = None
    model_name: str = None
    inference_window_days: int = 1

    def check(self):
        """Fails at parse time, naming the setting, when the DAGs could only fail later (at 3 a.m.)."""
        pipelines_dir = os.path.join(self.conf_dir, "pipelines")
        if not os.path.isdir(pipelines_dir) or not glob.glob(os.path.join(pipelines_dir, "*.yaml")):
            raise ValueError(
                f"No pipeline files in {pipelines_dir}: set LAKELINE_CONF_DIR to the folder that holds pipelines/*.yaml.")
        if self.mode == "spark_submit" and "://" not in self.jar and not os.path.isfile(self.jar):
            raise ValueError(
                f"The job jar {self.jar} does not exist: build it (mvn -B package -DskipTests) or set LAKELINE_JAR.")
        if self.mode == "databricks" and not (self.jar.startswith(("dbfs:/", "/Volumes/", "/Workspace/", "s3://", "abfss://", "gs://"))):
            raise ValueError(
                f"LAKELINE_JAR={self.jar} is not a path Databricks can read: upload the platform jar to a volume "
                "(/Volumes/...), DBFS or cloud storage and set LAKELINE_JAR to it.")
        if not (math.isfinite(self.emr_wait_hours) and self.emr_wait_hours > 0):
            raise ValueError(f"LAKELINE_EMR_WAIT_HOURS={self.emr_wait_hours!r} must be a number of hours above 0.")
        if self.mode in ("emr", "emr_serverless") and not self.jar.startswith("s3://"):
            raise ValueError(f"LAKELINE_JAR={self.jar} must be an s3:// path for {self.mode}: upload the jar to S3.")
        if self.mode != "spark_submit" and not self.lakehouse and self.profile in (None, "", "local"):
            # the jar's default profile keeps the lakehouse in ./lakehouse on the driver: lost with the cluster
            raise ValueError(
                f"LAKELINE_LAUNCH_MODE={self.mode} needs a lakehouse the cluster keeps: set LAKELINE_LAKEHOUSE "
                "(a /Volumes/, abfss:// or s3:// path) or LAKELINE_PROFILE="
                f"{'databricks' if self.mode == 'databricks' else 'emr'}; the default would write to the driver's "
                "local ./lakehouse, which goes away with the cluster.")
        return self

    def pipeline_ref(self, name, path):
        """How a job names a pipeline file: its name, or its path under LAKELINE_PIPELINE_DIR."""
        if self.pipeline_dir:
            return self.pipeline_dir.rstrip("/") + "/" + os.path.basename(path)
        return name

    def emr_waiter(self):
        """(waiter_delay, waiter_max_attempts) for the EMR operators: one poll a minute for emr_wait_hours."""
        return EMR_POLL_SECONDS, math.ceil(self.emr_wait_hours * 3600 / EMR_POLL_SECONDS)

    def monitor_options(self):
        """The monitor job's options: --fail-on-alert only when asked for (drift is reported, not a failed DAG run)."""
        return ["--fail-on-alert"] if self.monitor_fail_on_alert else []

    def infer_options(self):
        """The infer job's options: the days it scores (the daily DAG's own day by default)."""
        return ["--window-days", str(self.inference_window_days)]

    def model_options(self):
        """The options of train, infer and monitor that name the model: its file and its name, when set."""
        options = ["--model-file", self.model_file] if self.model_file else []
        return options + (["--set", "model.name=" + self.model_name] if self.model_name else [])

    @staticmethod
    def from_env(env=None):
        env = os.environ if env is None else env
        mode = env.get("LAKELINE_LAUNCH_MODE", "spark_submit")
        if mode not in MODES:
            raise ValueError(f"LAKELINE_LAUNCH_MODE={mode!r} is not one of {', '.join(MODES)}.")
        fail_on_alert = env.get("LAKELINE_MONITOR_FAIL_ON_ALERT", "false")
        if fail_on_alert.strip().lower() not in FLAGS:
            raise ValueError(f"LAKELINE_MONITOR_FAIL_ON_ALERT={fail_on_alert!r} is not true or false.")
        wait_hours = env.get("LAKELINE_EMR_WAIT_HOURS", "6")
        try:
            wait_hours = float(wait_hours)
        except ValueError:
            raise ValueError(f"LAKELINE_EMR_WAIT_HOURS={wait_hours!r} is not a number of hours.") from None
        window = env.get("LAKELINE_INFERENCE_WINDOW_DAYS", "1")
        if not window.strip().isdigit() or not 1 <= int(window) <= 3650:
            raise ValueError(f"LAKELINE_INFERENCE_WINDOW_DAYS={window!r} is not a whole number of days from 1 to 3650.")
        defaults = Settings()
        return Settings(
            mode=mode,
            jar=env.get("LAKELINE_JAR", defaults.jar),
            conf_dir=env.get("LAKELINE_CONF_DIR", defaults.conf_dir),
            pipeline_dir=env.get("LAKELINE_PIPELINE_DIR"),
            lakehouse=env.get("LAKELINE_LAKEHOUSE"),
            profile=env.get("LAKELINE_PROFILE"),
            spark_conn_id=env.get("LAKELINE_SPARK_CONN_ID", defaults.spark_conn_id),
            databricks_conn_id=env.get("LAKELINE_DATABRICKS_CONN_ID", defaults.databricks_conn_id),
            databricks_cluster_id=env.get("LAKELINE_DATABRICKS_CLUSTER_ID"),
            aws_conn_id=env.get("LAKELINE_AWS_CONN_ID", defaults.aws_conn_id),
            emr_cluster_id=env.get("LAKELINE_EMR_CLUSTER_ID", defaults.emr_cluster_id),
            emr_serverless_app_id=env.get("LAKELINE_EMR_SERVERLESS_APP_ID", defaults.emr_serverless_app_id),
            emr_role_arn=env.get("LAKELINE_EMR_ROLE_ARN", defaults.emr_role_arn),
            monitor_fail_on_alert=FLAGS[fail_on_alert.strip().lower()],
            emr_wait_hours=wait_hours,
            model_file=env.get("LAKELINE_MODEL_FILE") or None,
            model_name=env.get("LAKELINE_MODEL_NAME") or None,
            inference_window_days=int(window),
        )
