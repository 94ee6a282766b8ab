"""The deployment files in deploy/ name the right main class and jar, and the jar accepts every job's arguments;
the scripts that build the Python environments refuse a Python the pinned packages do not support."""

import glob
import json
import os
import subprocess

import pyspark
import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAIN = "dev.lakeline.jobs.cli.LakelineCli"
DATE = "2024-06-30"
TRIGGER = "{{job.trigger.time.iso_date}}"
TRIGGER_DAY = "2024-07-01"  # a bundle run triggered that day: its daily tasks are for DATE, the day before


def dry_run(args, lakehouse, date=DATE):
    """Runs the jar's own parser on ``args`` (--dry-run: checks everything, starts no Spark); checks the logical date."""
    args = [a.replace(TRIGGER, TRIGGER_DAY).replace("${var.lakehouse}", str(lakehouse)) for a in args]
    jar = sorted(glob.glob(os.path.join(REPO, "jobs", "target", "lakeline-*-spark35-with-delta.jar")))
    assert jar, "build the job jar first: mvn -B package -DskipTests"
    spark_jars = os.path.join(os.path.dirname(pyspark.__file__), "jars", "*")
    # the emr profile's lakehouse.root reads ${LAKELINE_S3_ROOT}; --lakehouse replaces it, so it need not be set
    env = {k: v for k, v in os.environ.items() if k != "LAKELINE_S3_ROOT"}
    run = subprocess.run(["java", "-cp", jar[-1] + os.pathsep + spark_jars, MAIN, *args, "--dry-run"],
                         capture_output=True, text=True, timeout=120, cwd=REPO, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "logical date: " + date in run.stdout, run.stdout
    return run.stdout


def bundle_jobs():
    with open(os.path.join(REPO, "deploy", "databricks", "databricks.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)["resources"]["jobs"]


def pipelines():
    return sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(REPO, "conf", "pipelines", "*.yaml")))


def bundle_tasks():
    """(job, task) of every task of the bundle."""
    return [(name, task) for name, job in bundle_jobs().items() for task in job["tasks"]]


def test_the_bundle_has_a_daily_job_of_features_then_inference_plus_training_and_maintenance():
    jobs = bundle_jobs()
    assert sorted(jobs) == ["lakeline_daily", "lakeline_maintenance", "lakeline_training"]
    for name, job in jobs.items():
        assert job["max_concurrent_runs"] == 1, name
        # 16.4 LTS: Spark 3.5, Scala 2.12 and JDK 17 by default; 14.3 and 15.4 start the Java 17 jar on JDK 8
        assert job["job_clusters"][0]["new_cluster"]["spark_version"] == "16.4.x-scala2.12", name
        # no isolation shared (what an unset access mode can be) cannot read the /Volumes/ jar and lakehouse
        assert job["job_clusters"][0]["new_cluster"]["data_security_mode"] == "SINGLE_USER", name
        for task in job["tasks"]:
            assert task["spark_jar_task"]["main_class_name"] == MAIN, name
            assert task["libraries"][0]["jar"] == "${var.jar}", name
            assert task["max_retries"] == 2, name
    features = ["features_" + p for p in pipelines()]
    daily = {t["task_key"]: t for t in jobs["lakeline_daily"]["tasks"]}
    assert sorted(daily) == sorted(features + ["infer", "monitor"])
    for key in features:
        args = daily[key]["spark_jar_task"]["parameters"]
        assert args[:3] == ["features", "--pipeline", key[len("features_"):]], args
        assert "depends_on" not in daily[key], key
    # inference waits for every feature pipeline of the date, as the Airflow sensors do; monitor follows it
    assert sorted(d["task_key"] for d in daily["infer"]["depends_on"]) == sorted(features)
    assert [d["task_key"] for d in daily["monitor"]["depends_on"]] == ["infer"]
    # each daily task is for the day before the trigger (YYYY-MM-DD-1d): a complete day
    for key, task in daily.items():
        args = task["spark_jar_task"]["parameters"]
        assert args[args.index("--date") + 1] == TRIGGER + "-1d", key
    assert [t["task_key"] for t in jobs["lakeline_training"]["tasks"]] == ["train"]
    assert [t["task_key"] for t in jobs["lakeline_maintenance"]["tasks"]] == ["maintain"]


@pytest.mark.parametrize("job, task", bundle_tasks(), ids=[f"{j}.{t['task_key']}" for j, t in bundle_tasks()])
def test_the_jar_accepts_every_bundle_tasks_parameters(job, task, tmp_path):
    args = task["spark_jar_task"]["parameters"]
    # the daily tasks are for the day before the trigger (-1d); train and maintain for the trigger day
    out = dry_run(args, tmp_path / "lake", DATE if args[args.index("--date") + 1].endswith("-1d") else TRIGGER_DAY)
    assert "profile databricks" in out, out


def test_the_emr_step_and_the_serverless_job_run_the_bundled_jar_with_valid_arguments(tmp_path):
    with open(os.path.join(REPO, "deploy", "emr", "steps.json"), encoding="utf-8") as f:
        (step,) = json.load(f)
    # the AWS CLI's own step shape (aws emr add-steps --steps file://...), not the API's HadoopJarStep
    assert step["Type"] == "CUSTOM_JAR" and step["Jar"] == "command-runner.jar", step
    assert "HadoopJarStep" not in step, step
    args = step["Args"]
    assert args[:3] == ["spark-submit", "--deploy-mode", "cluster"]
    jar = args[args.index("--class") + 2]
    assert args[args.index("--class") + 1] == MAIN and jar.endswith("-spark35-with-delta.jar")
    dry_run(args[args.index(jar) + 1:], tmp_path / "lake")

    with open(os.path.join(REPO, "deploy", "emr", "serverless-job.json"), encoding="utf-8") as f:
        job = json.load(f)
    submit = job["jobDriver"]["sparkSubmit"]
    assert submit["entryPoint"].endswith("-spark35-with-delta.jar")
    assert "--class " + MAIN in submit["sparkSubmitParameters"]
    assert "io.delta.sql.DeltaSparkSessionExtension" in submit["sparkSubmitParameters"]
    dry_run(submit["entryPointArguments"], tmp_path / "lake")


@pytest.mark.parametrize("script, refused, accepted", [
    # python/requirements.txt: the Airflow providers, duckdb, ipykernel, numpy and pandas need Python >= 3.11
    ("python-env", ["3.10", "3.9"], ["3.11", "3.13"]),
    # Airflow 2.10 supports up to 3.12; scripts/airflow-2.10-constraints.txt pins numpy and pandas needing 3.11
    ("check-airflow-2.10", ["3.10", "3.9", "3.13"], ["3.11", "3.12"]),
])
def test_the_environment_scripts_need_a_python_the_pinned_packages_support(script, refused, accepted, tmp_path):
    for version in refused + accepted:
        python = tmp_path / f"python{version}"  # answers the version question; does nothing else
        python.write_text(f"#!/bin/sh\necho {version}\n")
        python.chmod(0o755)
        cache = tmp_path / f"cache{version}"  # anything the script builds goes here, and fails at once (no pip)
        run = subprocess.run([os.path.join(REPO, "scripts", script)], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "LAKELINE_PYTHON": str(python), "LAKELINE_CACHE_DIR": str(cache)})
        if version in refused:
            assert run.returncode == 2, (version, run.stderr)
            assert f"Python {version} found" in run.stderr and "3.11" in run.stderr, run.stderr
            assert not cache.exists(), version
        else:
            assert "building" in run.stderr, (version, run.stderr)  # past the version check
