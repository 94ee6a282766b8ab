"""One argument builder behind three launch modes: spark-submit, Databricks, EMR (steps or Serverless).

Every mode runs the same main class with the same arguments; only the transport differs. The logical date is
always Airflow's ``{{ ds }}``, never "now".
"""

import hashlib

MAIN_CLASS = "dev.lakeline.jobs.cli.LakelineCli"
# a new job cluster's runtime: 16.4 LTS runs Spark 3.5 and Scala 2.12 on JDK 17 by default, which the jar (Java 17
# bytecode) needs; 14.3 and 15.4 LTS default to JDK 8 (they would need spark_env_vars JNAME=zulu17-ca-amd64)
DATABRICKS_RUNTIME = "16.4.x-scala2.12"
# what Delta needs in a session the platform creates (spark-submit and EMR create it from these; Databricks has it)
DELTA_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}
LOGICAL_DATE = "{{ ds }}"
# names the run in the jar's job-runs log (lakeline runs show ...) and in the feature groups' commits: one per try
RUN_ID = "{{ dag.dag_id }}/{{ task.task_id }}/{{ run_id }}/{{ ti.try_number }}"


def job_arguments(settings, command, *options):
    """The jar's arguments: the command, its options, the logical date, the run id, and the lakehouse/profile if set."""
    args = [command, *options, "--date", LOGICAL_DATE, "--run-id", RUN_ID]
    if settings.lakehouse:
        args += ["--lakehouse", settings.lakehouse]
    if settings.profile:
        args += ["--profile", settings.profile]
    return args


def job_tasks(settings, task_id, arguments):
    """The task(s) that run the jar with ``arguments`` in the configured mode: (first, last)."""
    builder = {
        "spark_submit": _spark_submit,
        "databricks": _databricks,
        "emr": _emr_steps,
        "emr_serverless": _emr_serverless,
    }[settings.mode]
    return builder(settings, task_id, arguments)


def _spark_submit(settings, task_id, arguments):
    from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

    task = SparkSubmitOperator(
        task_id=task_id,
        conn_id=settings.spark_conn_id,
        application=settings.jar,
        java_class=MAIN_CLASS,
        application_args=arguments,
        conf=dict(DELTA_CONF),
        name="lakeline-" + task_id,
    )
    return task, task


# Databricks' runs/submit returns the run it already has for a known idempotency token, whatever that run's end:
# a token without the try number would hand every retry (or clear) the run that failed. 64 characters at most.
IDEMPOTENCY_TOKEN = "{{ lakeline_idempotency_token(dag.dag_id, task.task_id, run_id, ti.try_number) }}"


def idempotency_token(dag_id, task_id, run_id, try_number):
    """One token per try of a task in a DAG run, 49 characters whatever the names' lengths.

    A try that resubmits its request (the hook's own HTTP retries) gets the run it started; the next try, after a
    failure or a clear, starts a new run. The jobs are idempotent per date, so running a date again is safe.
    """
    key = f"{dag_id}/{task_id}/{run_id}/{try_number}"
    return "lakeline-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


# the macros the templates above use; every Lakeline DAG defines them (user_defined_macros)
TEMPLATE_MACROS = {"lakeline_idempotency_token": idempotency_token}


def _databricks(settings, task_id, arguments):
    from airflow.providers.databricks.operators.databricks import DatabricksSubmitRunOperator

    cluster = (
        {"existing_cluster_id": settings.databricks_cluster_id}
        if settings.databricks_cluster_id
        # dedicated access mode (the run's identity): an unset mode can mean no isolation shared, without /Volumes/
        else {"new_cluster": {"spark_version": DATABRICKS_RUNTIME, "node_type_id": "i3.xlarge", "num_workers": 2,
                              "data_security_mode": "SINGLE_USER"}}
    )
    task = DatabricksSubmitRunOperator(
        task_id=task_id,
        databricks_conn_id=settings.databricks_conn_id,
        json={
            "run_name": "lakeline-" + task_id + "-{{ ds }}",
            "idempotency_token": IDEMPOTENCY_TOKEN,
            "tasks": [
                {
                    "task_key": task_id,
                    **cluster,
                    "spark_jar_task": {"main_class_name": MAIN_CLASS, "parameters": arguments},
                    "libraries": [{"jar": settings.jar}],
                }
            ],
        },
    )
    return task, task


def _emr_steps(settings, task_id, arguments):
    """One task that adds the step and waits for it: a failed step fails the task, and its retry adds a new step."""
    from airflow.providers.amazon.aws.operators.emr import EmrAddStepsOperator

    submit = ["spark-submit", "--deploy-mode", "cluster"]
    for key, value in DELTA_CONF.items():
        submit += ["--conf", f"{key}={value}"]
    submit += ["--class", MAIN_CLASS]
    delay, attempts = settings.emr_waiter()
    task = EmrAddStepsOperator(
        task_id=task_id,
        job_flow_id=settings.emr_cluster_id,
        aws_conn_id=settings.aws_conn_id,
        steps=[
            {
                "Name": "lakeline-" + task_id + "-{{ ds }}",
                "ActionOnFailure": "CONTINUE",
                "HadoopJarStep": {"Jar": "command-runner.jar", "Args": submit + [settings.jar] + arguments},
            }
        ],
        wait_for_completion=True,
        waiter_delay=delay,
        waiter_max_attempts=attempts,
    )
    return task, task


def _emr_serverless(settings, task_id, arguments):
    from airflow.providers.amazon.aws.operators.emr import EmrServerlessStartJobOperator

    delay, attempts = settings.emr_waiter()
    parameters = " ".join(["--class " + MAIN_CLASS] + [f"--conf {k}={v}" for k, v in DELTA_CONF.items()])
    task = EmrServerlessStartJobOperator(
        task_id=task_id,
        application_id=settings.emr_serverless_app_id,
        execution_role_arn=settings.emr_role_arn,
        aws_conn_id=settings.aws_conn_id,
        name="lakeline-" + task_id + "-{{ ds }}",
        job_driver={
            "sparkSubmit": {
                "entryPoint": settings.jar,
                "entryPointArguments": arguments,
                "sparkSubmitParameters": parameters,
            }
        },
        wait_for_completion=True,
        # the operator's default, 25 polls a minute apart, would cancel any job longer than 25 minutes
        waiter_delay=delay,
        waiter_max_attempts=attempts,
    )
    return task, task
