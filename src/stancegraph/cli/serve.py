"""``stancegraph serve``: the web pages and the HTTP API of a store, from one command.

Example
-------
::

    $ stancegraph serve --db corpus.duckdb
    stancegraph: serving corpus.duckdb at http://127.0.0.1:8000/ (API description: /openapi.json)
    $ export STANCEGRAPH_TOKEN=$(python -c "import secrets; print(secrets.token_urlsafe(32))")
    $ stancegraph serve --db corpus.duckdb --host 0.0.0.0 --port 8443 --tls-cert cert.pem --tls-key key.pem
    $ stancegraph serve --dna coded.dna --variable1 person      # a DNA database's networks, read-only
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from stancegraph.cli.network import QUALIFIER_VARIABLE, SOURCE
from stancegraph.cli.option_groups import with_groups

__all__ = ["register", "serve"]


@with_groups(SOURCE)
def serve(
    source: dict[str, Any],
    qualifier: str = QUALIFIER_VARIABLE,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback unless a token is set)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on (0: any free port)."),
    token: str | None = typer.Option(None, "--token", envvar="STANCEGRAPH_TOKEN", show_envvar=True,
                                     help="Require this token on every route (Bearer header, or log in at /login)."),
    max_body: int = typer.Option(10 * 1024 * 1024, "--max-body", min=1, help="Largest request body in bytes (413 above)."),
    max_chars: int = typer.Option(1_000_000, "--max-chars", min=1, help="Longest article text POST accepts."),
    no_embeddings: bool = typer.Option(False, "--no-embeddings",
                                       help="Fold concepts by keys and nesting only unless a request asks otherwise."),
    similarity: float = typer.Option(0.85, "--similarity", min=0.0, max=1.0, help="Default concept folding threshold."),
    registry: Path | None = typer.Option(None, "--registry", help="Actor registry for POSTed articles "
                                         "(default: <db>.actors.yaml beside the store, if present)."),
    post_wait: float = typer.Option(10.0, "--post-wait", min=0.0, help="Seconds POST /api/articles waits for "
                                    "its analysis (201) before answering 202 with the job's URL."),
    analysis_timeout: float = typer.Option(60.0, "--analysis-timeout", min=0.1, help="Seconds one analysis may "
                                           "take; the worker is then killed and the job fails (E121)."),
    queue_size: int = typer.Option(16, "--queue-size", min=1, help="Articles waiting for analysis before POST "
                                   "answers 503 (E123)."),
    tls_cert: Path | None = typer.Option(None, "--tls-cert", help="TLS certificate (PEM): serve HTTPS."),
    tls_key: Path | None = typer.Option(None, "--tls-key", help="The certificate's private key (PEM)."),
    proxy_headers: bool = typer.Option(False, "--proxy-headers", help="Trust X-Forwarded-Proto/For from "
                                       "--forwarded-allow-ips (a reverse proxy; see docs/reverse-proxy.md)."),
    forwarded_allow_ips: str = typer.Option("127.0.0.1", "--forwarded-allow-ips",
                                            help="Comma-separated proxy addresses trusted with --proxy-headers."),
    log_level: str = typer.Option("info", "--log-level", help="critical, error, warning, info, debug."),
) -> None:
    """Serve the store's pages (overview, articles, actors, network) and its JSON API.

    Reads open the store read-only for each request, so `stancegraph ingest` can add to the
    same file while the server runs; new articles show without a restart. With --dna instead
    of --db, a DNA database's network, backbone and polarisation pages and API, read-only.
    """
    import logging

    from stancegraph.errors import StanceGraphError
    from stancegraph.extras import EXTRAS, require

    try:  # the server's packages come with the web extra, not the core install: E130 names it
        for package in EXTRAS["web"]:
            require(package, extra="web", feature="stancegraph serve")
    except StanceGraphError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None

    import uvicorn

    from stancegraph.web.access import DnaSettings
    from stancegraph.web.app import check_assets, create_app
    from stancegraph.web.security import RedactTokenFilter, check_host, check_tls, check_token
    from stancegraph.web.state import Settings

    db, dna = source["db"], source["dna"]
    try:
        check_token(token)
        check_host(host, token)
        check_tls(tls_cert, tls_key)
        if (db is None) == (dna is None):
            from stancegraph.errors import NetworkError

            raise NetworkError("E320")
        check_assets()
        if dna is not None:
            dna_settings = DnaSettings(dna.resolve(), source["statement_type"], source["variable1"],
                                       source["variable2"], None if qualifier == "none" else qualifier)
            dna_settings.load()  # fails early on a bad file, statement type or variable
            db = dna
        else:
            dna_settings = None
            if not db.is_file():
                from stancegraph.errors import ApiError

                raise ApiError("E409", path=str(db))
            from stancegraph.store import open_store

            open_store(db, read_only=True).close()  # migrates an old store once, and fails early on a bad file
    except StanceGraphError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    settings = Settings(db=db.resolve(), token=token or None, max_body=max_body, max_chars=max_chars,
                        similarity=None if no_embeddings else similarity, registry=registry, post_wait=post_wait,
                        analysis_budget=analysis_timeout, queue_size=queue_size, dna=dna_settings)
    app = create_app(settings)
    logging.getLogger("uvicorn.access").addFilter(RedactTokenFilter())
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=60,
                            server_header=False, proxy_headers=proxy_headers, forwarded_allow_ips=forwarded_allow_ips,
                            ssl_certfile=str(tls_cert) if tls_cert else None,
                            ssl_keyfile=str(tls_key) if tls_key else None)
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host
    scheme = "https" if tls_cert else "http"

    original_startup = server.startup

    async def startup(sockets: list | None = None) -> None:
        await original_startup(sockets=sockets)
        if server.started:
            bound = port
            for listener in getattr(server, "servers", []):
                for sock in listener.sockets:
                    bound = sock.getsockname()[1]
            what = f"the DNA database {db} (read-only)" if dna_settings else str(db)
            typer.echo(f"stancegraph: serving {what} at {scheme}://{shown}:{bound}/ (API description: /openapi.json)"
                       + (" - token required" if token else ""), err=True)

    server.startup = startup  # type: ignore[method-assign]
    server.run()
    if not server.started:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
