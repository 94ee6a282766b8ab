"""The virtual environment scripts/python-env builds: pyspark is the pinned 3.5.7, whole; the class archive fits it.

The Spark provider of Airflow pulls in pyspark-client (Spark Connect 4.x), whose Python files overwrite
pyspark's own in the same folder; python-env removes it and reinstalls the pinned pyspark. Without that,
`import pyspark` reports 4.x and cannot start a local session.
"""

import os
import re
import subprocess

import pyspark
import pytest


def pinned_pyspark():
    requirements = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "requirements.txt")
    with open(requirements) as f:
        return re.search(r"^pyspark==(\S+)$", f.read(), re.M).group(1)


def test_pyspark_python_files_are_the_pinned_release():
    assert pyspark.__version__ == pinned_pyspark()
    from pyspark.sql import SparkSession  # the 4.x client's modules would fail to import against 3.5's

    assert hasattr(SparkSession.builder, "master")


def test_spark_submit_of_the_distribution_is_the_pinned_release():
    home = os.path.dirname(os.path.abspath(pyspark.__file__))
    out = subprocess.run([os.path.join(home, "bin", "spark-submit"), "--version"], capture_output=True, text=True,
                         env=dict(os.environ, SPARK_HOME=home), timeout=120)
    assert out.returncode == 0, out.stderr
    assert "version " + pinned_pyspark() in out.stdout + out.stderr


def test_the_tests_spark_jvms_load_spark_from_the_class_archive(spark_jvm_options, tmp_path):
    """The class archive conftest.py gives the tests' Spark JVMs fits spark-submit's classpath.

    ``-Xshare:on`` makes a JVM that cannot use the archive refuse to start, instead of quietly loading every class
    from the jars: spark-submit starts, and its SparkSubmit class comes from the archive. With a folder of settings
    first on its classpath (``SPARK_CONF_DIR`` holding a ``spark-defaults.conf``) the same JVM cannot use it, which is
    why the tests give spark-submit no such folder.
    """
    if os.environ.get("LAKELINE_TEST_CDS") == "0":
        pytest.skip("the class archive is turned off (LAKELINE_TEST_CDS=0)")
    assert "-XX:SharedArchiveFile=" in spark_jvm_options, "conftest.py could not write the class archive"
    home = os.path.dirname(os.path.abspath(pyspark.__file__))
    loaded = tmp_path / "classes.txt"

    def spark_submit_version(**extra):
        opts = f"{spark_jvm_options} -Xshare:on -Xlog:class+load=info:file={loaded}"
        env = {k: v for k, v in os.environ.items() if k != "SPARK_CONF_DIR"}
        env.update(SPARK_HOME=home, SPARK_SUBMIT_OPTS=opts, **extra)
        return subprocess.run([os.path.join(home, "bin", "spark-submit"), "--version"], capture_output=True, text=True,
                              env=env, timeout=120)

    out = spark_submit_version()
    assert out.returncode == 0, out.stdout + out.stderr
    assert "org.apache.spark.deploy.SparkSubmit source: shared objects file (top)" in loaded.read_text()
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "spark-defaults.conf").write_text("spark.ui.enabled false\n")
    refused = spark_submit_version(SPARK_CONF_DIR=str(conf))
    assert refused.returncode != 0, "a JVM with a settings folder before Spark's jars used the archive after all"
