"""`essor sirene ingest`: build a new release from the three INSEE files and switch it in."""

HELP = "Ingest StockUniteLegale, StockEtablissement and the geolocation file into a new release."


def add_arguments(parser):
    parser.add_argument(
        "--from", dest="from_dir", metavar="DIR",
        help="A folder as `essor sirene download` left it: the three files are found there",
    )  # fmt: skip
    parser.add_argument(
        "--unites-legales", metavar="FILE", help="StockUniteLegale (.zip/.csv/.csv.gz/.parquet)"
    )
    parser.add_argument("--etablissements", metavar="FILE", help="StockEtablissement")
    parser.add_argument(
        "--geolocalisation",
        metavar="FILE",
        help="GeolocalisationEtablissement_Sirene_pour_etudes_statistiques",
    )
    parser.add_argument(
        "--vintage", metavar="YYYY-MM-DD", help="Date of the files (default: inferred from names or mtime)"
    )
    parser.add_argument(
        "--ess-france", metavar="FILE",
        help="ESS France's « Liste des entreprises de l'ESS » (CSV with a SIREN column): a second ESS source",
    )  # fmt: skip
    parser.add_argument("--synthetic", action="store_true", help="Mark the release as synthetic (demo data)")
    parser.add_argument(
        "--force", action="store_true",
        help="Rebuild even if a release with the same inputs exists, and switch in a release the gate refused",
    )  # fmt: skip


def run(command, **options):
    from essor.sirene.cli._ingest_impl import ingest_command

    return ingest_command(command, **options)
