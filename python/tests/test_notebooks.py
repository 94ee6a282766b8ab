"""The example notebooks of notebooks/, executed from start to finish.

Each notebook runs in a Jupyter kernel of this virtual environment (ipykernel, so the kernel is this Python),
starts PySpark with the job jar attached and drives Lakeline through the JVM gateway. Its cells assert their own
results, so a failing cell fails the test. The jar and a temporary lakehouse reach the notebook through the
environment variables its parameters cell reads.

The kernel imports PySpark as Spark's own ``bin/pyspark`` sets it up: from the ``python/lib/pyspark.zip`` and py4j of
the Spark 3.5.7 distribution that the pinned ``pyspark`` package installs (``SPARK_HOME``), put first on
``PYTHONPATH``, so the notebook runs the distribution's PySpark whatever the venv's ``pyspark/`` folder holds (the
Airflow Spark provider depends on ``pyspark-client``, 4.x and Spark Connect only, which installs over that folder;
scripts/python-env removes it again, see test_environment.py).
"""

import glob
import os
import re
import subprocess
import sys

import nbformat
import pyspark
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTEBOOKS = os.path.join(REPO, "notebooks")
SPARK_HOME = os.path.dirname(os.path.abspath(pyspark.__file__))
SPARK_PYTHONPATH = [os.path.join(SPARK_HOME, "python", "lib", "pyspark.zip")] + sorted(
    glob.glob(os.path.join(SPARK_HOME, "python", "lib", "py4j-*-src.zip")))
WHICH_PYTHON = "import sys, pyspark; print(sys.executable); print(pyspark.__version__)"


def job_jar():
    """LAKELINE_TEST_JAR when set, else the job jar the build left in jobs/target/."""
    if os.environ.get("LAKELINE_TEST_JAR"):
        return os.environ["LAKELINE_TEST_JAR"]
    found = sorted(glob.glob(os.path.join(REPO, "jobs", "target", "lakeline-*-spark35-with-delta.jar")))
    assert found, "build the job jar first: mvn -B package -DskipTests (run-tests does it before these tests)"
    return found[-1]


def run(notebook, timeout=600):
    """Executes the notebook in place in a python3 kernel, from the notebooks folder, with this process' environment."""
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": NOTEBOOKS}}).execute()


def test_every_notebook_is_tested():
    found = sorted(os.path.basename(p) for p in glob.glob(os.path.join(NOTEBOOKS, "*.ipynb")) + glob.glob(os.path.join(NOTEBOOKS, "*.scala")))
    assert found == ["lakeline_quickstart.ipynb", "lakeline_quickstart.scala"], "add new notebooks to this test"


def test_quickstart_runs_from_start_to_finish_against_a_temporary_lakehouse(tmp_path, monkeypatch, spark_jvm_options):
    lakehouse = tmp_path / "lakehouse"
    notebook = nbformat.read(os.path.join(NOTEBOOKS, "lakeline_quickstart.ipynb"), as_version=4)
    nbformat.validate(notebook)
    params = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "LAKELINE_LAKEHOUSE" in params[0].source, "one tagged parameters cell"
    # one cell of the test's own, first: which interpreter the kernel runs
    notebook.cells.insert(0, nbformat.v4.new_code_cell(WHICH_PYTHON))
    env = {
        "LAKELINE_JAR": job_jar(),
        "LAKELINE_LAKEHOUSE": str(lakehouse),
        "PYSPARK_PYTHON": sys.executable,
        "SPARK_HOME": SPARK_HOME,
        "PYTHONPATH": os.pathsep.join(SPARK_PYTHONPATH + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "TZ": "UTC",
        # no kernel spec from the user's Jupyter folders: the python3 kernel is ipykernel's, on this interpreter
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter"),
        "JUPYTER_PATH": "",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # the JVM pyspark starts for the notebook's session: nothing from the caller's settings, a short JVM's options
    # (conftest.py)
    monkeypatch.delenv("SPARK_CONF_DIR", raising=False)
    monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", f'--driver-java-options "{spark_jvm_options}" pyspark-shell')
    try:
        run(notebook)
    except CellExecutionError as failed:
        pytest.fail(f"a cell of lakeline_quickstart.ipynb failed:\n{failed}", pytrace=False)

    which, version = notebook.cells[0].outputs[0]["text"].split()
    assert os.path.realpath(which) == os.path.realpath(sys.executable), f"the kernel ran {which}, not this venv's Python"
    assert version == "3.5.7", f"the kernel imported PySpark {version}, not the distribution's 3.5.7"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "every cell ran"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    printed = "".join(o.get("text", "") for c in code for o in c.outputs if o.output_type == "stream")
    assert "DataRejected:" in printed, "the gate's rejection is shown"
    checked = re.search(r"(\d+) of (\d+) rows carry the report valid at issue", printed)
    assert checked and checked.group(1) == checked.group(2) and int(checked.group(1)) > 1000, printed
    # it wrote into the lakehouse the test gave it, nowhere else
    assert (lakehouse / "models" / "loan_default" / "v1" / "model.json").is_file()
    assert (lakehouse / "training_datasets" / "loan_default" / "v1" / "td1" / "manifest.json").is_file()
    assert not (lakehouse / "models" / "loan_default" / "v2").exists(), "training twice reused version 1"


def test_scala_notebook_runs_in_spark_shell(tmp_path, spark_jvm_options):
    """notebooks/lakeline_quickstart.scala (Databricks' source format) in spark-shell with the job jar.

    The file is pasted whole (`:paste`), so it compiles as one unit and a failing statement or assertion stops it
    before its last line, which prints how many loans were scored.
    """
    lakehouse = tmp_path / "lakehouse"
    commands = tmp_path / "commands.txt"
    commands.write_text(f":paste {os.path.join(NOTEBOOKS, 'lakeline_quickstart.scala')}\n:quit\n")
    env = dict(os.environ, SPARK_HOME=SPARK_HOME, LAKELINE_LAKEHOUSE=str(lakehouse), SPARK_LOCAL_IP="127.0.0.1", TZ="UTC")
    env.pop("PYSPARK_SUBMIT_ARGS", None)
    env.pop("SPARK_CONF_DIR", None)
    cmd = [os.path.join(SPARK_HOME, "bin", "spark-shell"), "--master", "local[2]", "--jars", job_jar(),
           "--driver-java-options", spark_jvm_options,
           "--conf", "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
           "--conf", "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
           "--conf", "spark.sql.session.timeZone=UTC", "--conf", "spark.sql.shuffle.partitions=2",
           "--conf", "spark.ui.enabled=false", "--conf", f"spark.sql.warehouse.dir={tmp_path / 'warehouse'}"]
    with open(commands) as stdin:
        run = subprocess.run(cmd, stdin=stdin, capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
    done = re.search(r"lakeline scala notebook: (\d+) loans scored", run.stdout)
    assert done, f"the Scala notebook did not finish:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
    assert int(done.group(1)) > 100
    assert (lakehouse / "models" / "loan_default" / "v1" / "model.json").is_file()
