"""What the two web apps (the citizens' portal and the clerks' workspace) share.

The app itself on a broker link (``app.broker_web_app``: middleware, shared
routes, sign-in, refusal and crash pages; each app adds its routes and state),
sessions held in the server's memory, CSRF checks and security headers (a CSP
without inline scripts), Finnish/Swedish/English from one gettext catalogue,
OpenID Connect sign-in (code + PKCE) and the labelled test identification's
rules, the page layout and error pages, server-sent events, and serving with
uvicorn.

It may import the SDK (``luukku.client``), Starlette, Jinja2, Babel, Authlib
and uvicorn; never the broker's layers (``luukku.store``, ``luukku.service``,
``luukku.server``) nor either app: the apps import it, not the other way round.
"""
