"""Lakeline's Airflow DAGs: one per feature pipeline (daily), training (weekly), batch inference (daily).

Airflow imports this file; the DAGs come from the pipeline files in conf/pipelines/ through one small factory
(lakeline_airflow.factory), which reads YAML and builds operators: no Spark, no database and no network at import.
Settings come from environment variables (see lakeline_airflow/settings.py and docs/airflow.md).
"""

from lakeline_airflow.factory import build_dags

globals().update(build_dags())
