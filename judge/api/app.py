"""The FastAPI application: Judge0's routes, our extensions, docs served from the package itself."""

from __future__ import annotations

from fastapi import FastAPI, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

import judge
from judge.api import errors
from judge.api.config import ApiSettings, Judge0Config
from judge.api.routes import health, info, problems, sessions, submissions
from judge.api.services import Services
from judge.config import Settings
from judge.queueing import TaskSender

DESCRIPTION = """A drop-in for Judge0 CE 1.13.1's API (submissions, batches, languages, statuses, configuration),
plus extensions of our own: problems uploaded once and graded many times (`/problems`, `/gradings`),
`/health` and `/metrics`."""


def create_app(settings: Settings, judge0_config: Judge0Config, api: ApiSettings, sender: TaskSender) -> FastAPI:
    app = FastAPI(title="judge", version=judge.__version__, description=DESCRIPTION, docs_url=None,
                  redoc_url=None)
    app.state.services = Services(settings, judge0_config, api, settings.store(),
                                  sender)
    errors.install(app)
    for module in (submissions, info, sessions, problems, health):
        app.include_router(module.router)
    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="judge API",
                                   swagger_js_url="/docs/assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs/assets/swagger-ui.css",
                                   swagger_favicon_url="/docs/assets/favicon-32x32.png")

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return docs() if judge0_config.use_docs_as_homepage else Response(status_code=200)

    return app


def default_app() -> FastAPI:
    """For `uvicorn judge.api.app:default_app --factory`: everything from the environment."""
    from judge.api.config import api_settings, judge0_config
    from judge.config import settings
    from worker.app import make_app

    config = settings()
    return create_app(config, judge0_config(), api_settings(), make_app(config))
