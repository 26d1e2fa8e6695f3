"""The web pages and the HTTP API of a store: ``stancegraph serve``.

* :mod:`~stancegraph.web.app` builds the FastAPI app (:func:`~stancegraph.web.app.create_app`);
* :mod:`~stancegraph.web.api` the JSON API under ``/api`` (described at ``/openapi.json``);
* :mod:`~stancegraph.web.pages` the server-rendered pages, with scripts in ``static/js``;
* :mod:`~stancegraph.web.access` the short-lived store connections, retries and the cache;
* :mod:`~stancegraph.web.security` the token, the loopback rule and the security headers;
* :mod:`~stancegraph.web.highlight` the article text cut into highlighted segments.

The front-end libraries (cytoscape, chart.js) come from npm through ``frontend/package-lock.json``
and are copied into ``static/vendor`` by ``make web-assets``.
"""
