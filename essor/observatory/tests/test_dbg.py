from django.db import connection
from django.test.utils import CaptureQueriesContext
def test_dbg(client, precomputed):
    for url in ["/fr/territoires/epci/243100518/", "/fr/observatoire/territoires/epci/243100518/", "/fr/territoires/commune/31555/", "/fr/territoires/qpv/QN03104M/", "/fr/territoires/france/FR/"]:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        print(url, r.status_code, len(ctx))
        if "observatoire" in url:
            for q in ctx.captured_queries: print("   ", q["sql"][:150])
