"""The steps of the SIRENE pipeline, one module each (essor.sirene.pipeline runs them in order).

Each module has `run(p)` taking the Pipeline (its DuckDB connection `p.con`, the staged sources `p.sources`, the
inputs `p.inputs` and the report `p.result.report`). SQL is assembled from code constants, the rules' tables and
quoted literals (`sql.literal`), never from file contents.
"""
