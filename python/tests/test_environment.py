"""The virtual environment scripts/python-env builds: pyspark is the pinned 3.5.7, whole.

The Spark provider of Airflow pulls in pyspark-client (Spark Connect 4.x), whose Python files overwrite
pyspark's own in the same folder; python-env removes it and reinstalls the pinned pyspark. Without that,
`import pyspark` reports 4.x and cannot start a local session.
"""

import os
import re
import subprocess

import pyspark


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
