"""Lakeline's jobs on a real Spark standalone cluster.

A master and two workers run in their own processes, started from the Spark 3.5.7 distribution that the pinned
pyspark package installs (its bin/spark-class with the standalone Master and Worker classes), on the loopback
address. The whole loop (the demo: feature, training and inference jobs) is submitted with its bin/spark-submit and
the job jar alone, so executors on the workers deserialize and run Lakeline's code: a closure that does not
serialize, a class missing from the jar, or driver-only state used on an executor fails here. The cluster is
stopped afterwards, also when a test fails.
"""

import glob
import os
import socket
import subprocess
import time

import pyspark
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPARK_HOME = os.path.dirname(os.path.abspath(pyspark.__file__))
MAIN = "dev.lakeline.jobs.cli.LakelineCli"
DATE = "2024-06-30"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def job_jar():
    found = sorted(glob.glob(os.path.join(REPO, "jobs", "target", "lakeline-*-spark35-with-delta.jar")))
    assert found, "build the job jar first: mvn -B package -DskipTests (run-tests does it before these tests)"
    return found[-1]


def spark_env():
    env = dict(os.environ, SPARK_HOME=SPARK_HOME, SPARK_LOCAL_IP="127.0.0.1", SPARK_NO_DAEMONIZE="1", TZ="UTC")
    env.pop("PYSPARK_SUBMIT_ARGS", None)
    env.pop("SPARK_CONF_DIR", None)  # Spark's own defaults; and no folder on the classpath before the jars (conftest.py)
    return env


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, spark_jvm_options):
    """spark://127.0.0.1:<port> with two workers of one core each; yields (url, the workers' work dirs)."""
    root = tmp_path_factory.mktemp("cluster")
    port = free_port()
    url = f"spark://127.0.0.1:{port}"
    processes = []
    logs = []

    def start(name, *args):
        log = open(root / f"{name}.log", "w")
        logs.append(log)
        processes.append(subprocess.Popen(
            [os.path.join(SPARK_HOME, "bin", "spark-class"), *args], stdout=log, stderr=subprocess.STDOUT,
            env=dict(spark_env(), SPARK_DAEMON_JAVA_OPTS=spark_jvm_options)))

    work_dirs = [root / "worker-1", root / "worker-2"]
    try:
        start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
              "--webui-port", str(free_port()))
        for i, work in enumerate(work_dirs, 1):
            work.mkdir()
            start(f"worker-{i}", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                  "--memory", "2g", "--webui-port", str(free_port()), "--work-dir", str(work), url)
        deadline = time.time() + 120
        while (root / "master.log").read_text().count("Registering worker") < 2:
            dead = [p.args[1] for p in processes if p.poll() is not None]
            assert not dead, f"{dead} exited: {(root / 'master.log').read_text()[-3000:]}"
            assert time.time() < deadline, "the workers did not register in 2 minutes:\n" + (root / "master.log").read_text()[-3000:]
            time.sleep(0.5)
        yield url, work_dirs
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in logs:
            log.close()


def submit(url, jvm_options, lakehouse, *args):
    """spark-submit of the job jar to the cluster; the driver and the executors start as short JVMs (conftest.py)."""
    cmd = [os.path.join(SPARK_HOME, "bin", "spark-submit"), "--master", url, "--class", MAIN,
           "--total-executor-cores", "2", "--executor-cores", "1", "--executor-memory", "1g", "--driver-memory", "1g",
           "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4",
           "--conf", f"spark.driver.extraJavaOptions={jvm_options}", "--conf", f"spark.executor.extraJavaOptions={jvm_options}",
           job_jar(), *args, "--lakehouse", str(lakehouse)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=spark_env(), cwd=REPO)


def test_feature_training_and_inference_jobs_run_on_the_cluster(cluster, spark_jvm_options, tmp_path):
    url, work_dirs = cluster
    lakehouse = tmp_path / "lakehouse"
    # one submission of the whole loop (generate, the feature pipelines, training, inference): a driver and two
    # executors started once instead of four times (the Airflow chain's test submits each job on its own)
    run = submit(url, spark_jvm_options, lakehouse, "demo", "--date", DATE, "--scale", "0.03")
    assert run.returncode == 0, f"demo failed:\n{run.stdout[-4000:]}\n{run.stderr[-6000:]}"
    assert f"spark-submit ({url})" in run.stdout, "the job takes spark-submit's session on the cluster:\n" + run.stdout
    for stage in ("generate sample data", "feature pipeline", "training pipeline", "batch inference"):
        assert stage in run.stdout, f"the demo ran no {stage}:\n{run.stdout[-4000:]}"
    for table in ("feature_groups/loans/v1", "feature_groups/credit_reports/v1", "feature_groups/card_spend/v1",
                  "training_datasets/loan_default/v1/td1/data", "predictions/loan_default"):
        assert (lakehouse / table / "_delta_log").is_dir(), table + " should be a Delta table"
    assert (lakehouse / "models" / "loan_default" / "v1" / "model.json").is_file()
    # the work ran on both workers' executors, not in the driver
    for work in work_dirs:
        executors = glob.glob(str(work / "app-*" / "*" / "stderr"))
        assert executors, f"no executor ran on {work}"
        assert any("Finished task" in open(e).read() for e in executors), f"no task finished on {work}"


def test_a_user_error_on_the_cluster_keeps_its_exit_code(cluster, spark_jvm_options, tmp_path):
    url, _ = cluster
    run = submit(url, spark_jvm_options, tmp_path / "empty", "infer", "--date", DATE)
    assert run.returncode == 4, run.stdout + run.stderr
    assert "error: " in run.stderr
    assert "\tat dev.lakeline" not in run.stderr, "a user error prints no stack trace"
