"""One argument builder behind three launch modes: spark-submit, Databricks, EMR (steps or Serverless).

Every mode runs the same main class with the same arguments; only the transport differs. The logical date is
always Airflow's ``{{ ds }}``, never "now".
"""

MAIN_CLASS = "dev.lakeline.jobs.cli.LakelineCli"
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


def idempotency_token(task_id):
    """Databricks starts one run per token: a retry of the same DAG run and task reuses the run it started."""
    return "lakeline-{{ dag.dag_id }}-" + task_id + "-{{ ds_nodash }}"


def _databricks(settings, task_id, arguments):
    from airflow.providers.databricks.operators.databricks import DatabricksSubmitRunOperator

    cluster = (
        {"existing_cluster_id": settings.databricks_cluster_id}
        if settings.databricks_cluster_id
        else {"new_cluster": {"spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2}}
    )
    task = DatabricksSubmitRunOperator(
        task_id=task_id,
        databricks_conn_id=settings.databricks_conn_id,
        json={
            "run_name": "lakeline-" + task_id + "-{{ ds }}",
            "idempotency_token": idempotency_token(task_id),
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
    from airflow.providers.amazon.aws.operators.emr import EmrAddStepsOperator
    from airflow.providers.amazon.aws.sensors.emr import EmrStepSensor

    submit = ["spark-submit", "--deploy-mode", "cluster"]
    for key, value in DELTA_CONF.items():
        submit += ["--conf", f"{key}={value}"]
    submit += ["--class", MAIN_CLASS]
    add = EmrAddStepsOperator(
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
    )
    wait = EmrStepSensor(
        task_id=task_id + "_done",
        job_flow_id=settings.emr_cluster_id,
        aws_conn_id=settings.aws_conn_id,
        step_id="{{ task_instance.xcom_pull(task_ids='" + task_id + "')[0] }}",
        mode="reschedule",
        poke_interval=60,
    )
    add >> wait
    return add, wait


def _emr_serverless(settings, task_id, arguments):
    from airflow.providers.amazon.aws.operators.emr import EmrServerlessStartJobOperator

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
    )
    return task, task
