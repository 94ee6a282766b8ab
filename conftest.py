"""What the Python tests (airflow-dags/tests, python/tests) share: the JVM options of the Spark JVMs they start.

Those JVMs (spark-submit's drivers, executors, the standalone master and workers, the notebooks' sessions) are short
and work on little data, so most of their time goes on starting up: loading and linking some 20,000 classes of Spark,
Delta, Deequ and Lakeline, and compiling them. Two options cut it:

- the quick compiler alone and the serial collector (``-XX:TieredStopAtLevel=1 -XX:+UseSerialGC``): C2 compiling
  Spark's code costs these JVMs more than it gains them;
- a class data sharing archive (JDK 17's dynamic CDS, ``-XX:SharedArchiveFile``) of the classes a Lakeline job loads
  under pyspark's ``spark-submit``: the JVM maps them already parsed and verified instead of reading them from the jars
  (``generate`` through spark-submit, measured: 13.9 → 9.7 s, CPU 15.4 → 11.3 s).

The archive is made once per machine, JDK and Spark distribution, by one ``demo`` run through spark-submit with
``-XX:ArchiveClassesAtExit`` (about 100 s), and kept in the virtual environment (built once per version of
python/requirements.txt, outside the clone), so later runs and clean clones in CI reuse it. The JVM checks an archive
before it uses it: Spark's jars must be the same files, in the same order, on the same classpath (so ``SPARK_CONF_DIR``
must not point to an existing folder: a non-empty folder on the classpath cannot be archived), and a class of the job
jar is taken from the archive only if its bytes are unchanged since, so a rebuilt jar loses only its changed classes.
Whatever does not match is loaded from the jars as usual: the archive can make a JVM start faster, never behave
differently. ``LAKELINE_TEST_CDS=0`` turns it off.
"""

import fcntl
import glob
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

REPO = os.path.dirname(os.path.abspath(__file__))
QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
MAIN = "dev.lakeline.jobs.cli.LakelineCli"
# an archive that does not match is skipped; these keep the JVM's note about it out of the jobs' output
QUIET_CDS = "-Xlog:cds=off,cds+dynamic=off"


def spark_home():
    return importlib.util.find_spec("pyspark").submodule_search_locations[0]


def java():
    home = os.environ.get("JAVA_HOME")
    found = os.path.join(home, "bin", "java") if home else shutil.which("java")
    return os.path.realpath(found) if found else None


def job_jar():
    found = sorted(glob.glob(os.path.join(REPO, "jobs", "target", "lakeline-*-spark35-with-delta.jar")))
    return found[-1] if found else None


def archive_path():
    """Where the archive of this JDK and this Spark distribution is kept (it need not exist yet)."""
    home = spark_home()
    version = subprocess.run([java(), "-version"], capture_output=True, text=True).stderr
    # the JDK and every jar of Spark's, with its size and time: a changed file gives another archive
    files = [java(), os.path.join(os.path.dirname(os.path.dirname(java())), "lib", "modules")]
    files += sorted(glob.glob(os.path.join(home, "jars", "*")))
    stamps = [f"{f} {os.stat(f).st_size} {os.stat(f).st_mtime_ns}" for f in files if os.path.exists(f)]
    key = hashlib.sha256("\n".join([version, *stamps]).encode())
    return os.path.join(sys.prefix, "spark-class-archives", key.hexdigest()[:16] + ".jsa")


def spark_env():
    """The environment of the Spark processes: Spark's own defaults, no conf folder (see above), UTC."""
    env = {k: v for k, v in os.environ.items() if k not in ("SPARK_CONF_DIR", "PYSPARK_SUBMIT_ARGS")}
    env.update(SPARK_HOME=spark_home(), SPARK_LOCAL_IP="127.0.0.1", TZ="UTC")
    return env


def make_archive(path):
    """Runs the demo through spark-submit once, writing the archive of the classes it loaded to ``path``."""
    work = tempfile.mkdtemp(prefix="lakeline-cds-")
    partial = f"{path}.{os.getpid()}.partial"
    try:
        with open(os.path.join(work, "demo.log"), "w") as log:
            done = subprocess.run(
                [os.path.join(spark_home(), "bin", "spark-submit"), "--master", "local[2]", "--class", MAIN,
                 "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2",
                 "--driver-java-options", f"{QUICK_JVM} -XX:ArchiveClassesAtExit={partial} {QUIET_CDS}",
                 job_jar(), "demo", "--scale", "0.03", "--lakehouse", os.path.join(work, "lakehouse")],
                stdout=log, stderr=subprocess.STDOUT, env=spark_env(), cwd=work, timeout=900)
        if done.returncode == 0 and os.path.isfile(partial):
            os.replace(partial, path)
    except (OSError, subprocess.SubprocessError):
        pass
    finally:
        if os.path.exists(partial):
            os.remove(partial)
        shutil.rmtree(work, ignore_errors=True)


def class_archive():
    """The archive's path, made first if there is none; None when it is turned off or cannot be made."""
    if os.environ.get("LAKELINE_TEST_CDS", "1") == "0" or java() is None or job_jar() is None:
        return None
    path = archive_path()
    if not os.path.isfile(path):
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            # pytest-xdist's workers ask at the same time: one makes it, the other waits for it
            with open(os.path.join(os.path.dirname(path), ".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not os.path.isfile(path):
                    make_archive(path)
        except OSError:  # a Python whose prefix is not writable (not scripts/python-env's venv): no archive
            return None
    return path if os.path.isfile(path) else None


@pytest.fixture(scope="session")
def spark_jvm_options():
    """The JVM options for every Spark JVM of the tests: the quick compiler, the serial collector, the class archive."""
    archive = class_archive()
    return QUICK_JVM + (f" -XX:SharedArchiveFile={archive} {QUIET_CDS}" if archive else "")
