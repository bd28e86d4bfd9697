"""An independent LSP 3.17 client (pytest-lsp on pygls and lsprotocol) against `specwright lsp`.

Every message the server sends is read into lsprotocol's types by pygls, so a malformed one
fails the test; pytest-lsp's own checks (a result or request the client's capabilities do not
allow) are errors (see pytest.ini); and `Recorder` checks every request the server makes of the
client against what that client offered, for each of four client profiles.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.capabilities import get_capability
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pygls.protocol import default_converter
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("SPECWRIGHT_BIN", str(ROOT / "target/debug/specwright"))


def _pull(caps: types.ClientCapabilities, refresh: bool) -> types.ClientCapabilities:
    caps.text_document = caps.text_document or types.TextDocumentClientCapabilities()
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(
        related_document_support=True
    )
    caps.workspace = caps.workspace or types.WorkspaceClientCapabilities()
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=refresh
    )
    return caps


def profile(name: str) -> types.ClientCapabilities:
    """The four clients of the suite: a VS Code-like pull client with refresh, Neovim 0.11 as
    it announces itself (pull without refresh, no dynamic registration), a push-only client and
    one that offers nothing at all."""
    if name == "vscode":
        return _pull(client_capabilities("visual-studio-code"), refresh=True)
    if name == "neovim":
        caps = client_capabilities("neovim@v0.11.0")
        if get_capability(caps, "text_document.diagnostic") is None:
            caps = _pull(caps, refresh=False)
        return caps
    if name == "push":
        caps = client_capabilities("visual-studio-code")
        caps.text_document.diagnostic = None
        return caps
    return types.ClientCapabilities()


PROFILES = ["vscode", "neovim", "push", "minimal"]


def allowed(caps: types.ClientCapabilities, method: str, params) -> str | None:
    """Why the client did not allow this request, or None when it did."""

    def has(path: str) -> bool:
        return bool(get_capability(caps, path, False))

    if method == "client/registerCapability":
        for r in params.registrations:
            section = {
                "workspace/didChangeWatchedFiles": "workspace.did_change_watched_files",
                "workspace/didChangeConfiguration": "workspace.did_change_configuration",
            }.get(r.method)
            if section is None and r.method.startswith("textDocument/"):
                words = r.method.split("/", 1)[1]
                snake = "".join("_" + c.lower() if c.isupper() else c for c in words)
                section = "text_document." + snake
            if section is None or not has(section + ".dynamic_registration"):
                return f"registered {r.method} without dynamic registration offered"
        return None
    needs = {
        "workspace/configuration": "workspace.configuration",
        "workspace/applyEdit": "workspace.apply_edit",
        "window/showDocument": "window.show_document.support",
        "window/workDoneProgress/create": "window.work_done_progress",
        "workspace/diagnostic/refresh": "workspace.diagnostics.refresh_support",
        "workspace/semanticTokens/refresh": "workspace.semantic_tokens.refresh_support",
        "workspace/codeLens/refresh": "workspace.code_lens.refresh_support",
        "workspace/inlayHint/refresh": "workspace.inlay_hint.refresh_support",
    }
    if method in needs and not has(needs[method]):
        return f"{method} without {needs[method]}"
    if method == "workspace/applyEdit":
        edit = params.edit
        if edit.document_changes and not has("workspace.workspace_edit.document_changes"):
            return "documentChanges to a client that did not offer them"
        ops = get_capability(caps, "workspace.workspace_edit.resource_operations", []) or []
        for change in edit.document_changes or []:
            kind = getattr(change, "kind", None)
            if kind is not None and kind not in ops:
                return f"a {kind} file operation the client did not offer"
    return None


def make_client() -> LanguageClient:
    """pytest-lsp's client, with every request from the server checked by `allowed` first."""
    client = LanguageClient(converter_factory=default_converter)
    client.violations = []
    client.requests = []
    features = dict(DEFAULT_CLIENT_FEATURES)
    for method, answer in [
        ("client/registerCapability", None),
        ("client/unregisterCapability", None),
        ("workspace/applyEdit", types.ApplyWorkspaceEditResult(applied=True)),
        ("workspace/semanticTokens/refresh", None),
        ("workspace/codeLens/refresh", None),
        ("workspace/inlayHint/refresh", None),
    ]:
        features.setdefault(method, lambda ls, params, answer=answer: answer)

    def checked(method: str, inner):
        def handler(ls: LanguageClient, params):
            ls.requests.append((method, params))
            why = allowed(ls.capabilities or types.ClientCapabilities(), method, params)
            if why:
                ls.violations.append(why)
            return inner(ls, params)

        return handler

    for method, inner in features.items():
        client.feature(method)(checked(method, inner))
    return client


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "ws")
    return tmp_path / "ws"


@pytest_lsp.fixture(
    params=PROFILES,
    config=ClientServerConfig(
        server_command=[SERVER, "lsp"],
        client_factory=make_client,
        server_env={**os.environ, "SPECWRIGHT_TODAY": "2026-01-15"},
    ),
)
async def client(lsp_client: LanguageClient, request, workspace: Path):
    caps = profile(request.param)
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
        )
    )
    lsp_client.profile = request.param
    lsp_client.server_capabilities = result.capabilities
    lsp_client.workspace = workspace
    yield
    await lsp_client.shutdown_session()
    assert lsp_client.error is None, lsp_client.error
    assert lsp_client.violations == [], lsp_client.violations
