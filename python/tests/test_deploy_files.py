"""The deployment files in deploy/ name the right main class and jar, and the jar accepts every job's arguments."""

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


def dry_run(args, lakehouse):
    """Runs the jar's own parser on ``args`` (--dry-run: checks everything, starts no Spark)."""
    args = [a.replace("{{job.trigger.time.iso_date}}", DATE).replace("${var.lakehouse}", str(lakehouse)) for a in args]
    jar = sorted(glob.glob(os.path.join(REPO, "jobs", "target", "lakeline-*-spark35-with-delta.jar")))
    assert jar, "build the job jar first: mvn -B package -DskipTests"
    spark_jars = os.path.join(os.path.dirname(pyspark.__file__), "jars", "*")
    # the emr profile's lakehouse.root reads ${LAKELINE_S3_ROOT}; --lakehouse replaces it, so it need not be set
    env = {k: v for k, v in os.environ.items() if k != "LAKELINE_S3_ROOT"}
    run = subprocess.run(["java", "-cp", jar[-1] + os.pathsep + spark_jars, MAIN, *args, "--dry-run"],
                         capture_output=True, text=True, timeout=120, cwd=REPO, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "logical date: " + DATE in run.stdout, run.stdout
    return run.stdout


def bundle_jobs():
    with open(os.path.join(REPO, "deploy", "databricks", "databricks.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)["resources"]["jobs"]


def test_the_bundle_has_a_jar_job_per_pipeline_plus_training_inference_and_maintenance():
    pipelines = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(REPO, "conf", "pipelines", "*.yaml")))
    expected = sorted(["lakeline_features_" + p for p in pipelines] + ["lakeline_training", "lakeline_inference", "lakeline_maintenance"])
    jobs = bundle_jobs()
    assert sorted(jobs) == expected
    for name, job in jobs.items():
        assert job["max_concurrent_runs"] == 1, name
        assert job["job_clusters"][0]["new_cluster"]["spark_version"].startswith("15.4"), name
        (task,) = job["tasks"]
        assert task["spark_jar_task"]["main_class_name"] == MAIN, name
        assert task["libraries"][0]["jar"] == "${var.jar}", name


@pytest.mark.parametrize("job", sorted(bundle_jobs()))
def test_the_jar_accepts_every_bundle_jobs_parameters(job, tmp_path):
    (task,) = bundle_jobs()[job]["tasks"]
    out = dry_run(task["spark_jar_task"]["parameters"], tmp_path / "lake")
    assert "profile databricks" in out, out


def test_the_emr_step_and_the_serverless_job_run_the_bundled_jar_with_valid_arguments(tmp_path):
    with open(os.path.join(REPO, "deploy", "emr", "steps.json"), encoding="utf-8") as f:
        (step,) = json.load(f)
    args = step["HadoopJarStep"]["Args"]
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
