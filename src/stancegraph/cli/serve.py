"""``stancegraph serve``: the web pages and the HTTP API of a store, from one command.

Example
-------
::

    $ stancegraph serve --db corpus.duckdb
    stancegraph: serving corpus.duckdb at http://127.0.0.1:8000/ (API description: /openapi.json)
    $ STANCEGRAPH_TOKEN=s3cret stancegraph serve --db corpus.duckdb --host 0.0.0.0 --port 8080
"""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["register", "serve"]


def serve(
    db: Path = typer.Option(..., "--db", help="The store (DuckDB file) built by stancegraph ingest."),
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
    log_level: str = typer.Option("info", "--log-level", help="critical, error, warning, info, debug."),
) -> None:
    """Serve the store's pages (overview, articles, actors, network) and its JSON API.

    Reads open the store read-only for each request, so `stancegraph ingest` can add to the
    same file while the server runs; new articles show without a restart.
    """
    import logging

    import uvicorn

    from stancegraph.errors import StanceGraphError
    from stancegraph.web.app import check_assets, create_app
    from stancegraph.web.security import RedactTokenFilter, check_host
    from stancegraph.web.state import Settings

    try:
        check_host(host, token)
        if not db.is_file():
            from stancegraph.errors import ApiError

            raise ApiError("E409", path=str(db))
        check_assets()
        from stancegraph.store import open_store

        open_store(db, read_only=True).close()  # migrates an old store once, and fails early on a bad file
    except StanceGraphError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    settings = Settings(db=db.resolve(), token=token or None, max_body=max_body, max_chars=max_chars,
                        similarity=None if no_embeddings else similarity, registry=registry)
    app = create_app(settings)
    logging.getLogger("uvicorn.access").addFilter(RedactTokenFilter())
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=60,
                            server_header=False, proxy_headers=False)
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host

    original_startup = server.startup

    async def startup(sockets: list | None = None) -> None:
        await original_startup(sockets=sockets)
        if server.started:
            bound = port
            for listener in getattr(server, "servers", []):
                for sock in listener.sockets:
                    bound = sock.getsockname()[1]
            typer.echo(f"stancegraph: serving {db} at http://{shown}:{bound}/ (API description: /openapi.json)"
                       + (" - token required" if token else ""), err=True)

    server.startup = startup  # type: ignore[method-assign]
    server.run()
    if not server.started:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
