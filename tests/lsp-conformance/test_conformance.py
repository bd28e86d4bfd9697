"""The server as four different clients see it: every message typed, every range inside the
document it names in the negotiated encoding, nothing asked of a client that it did not offer,
and the faults an independent client found (V1–V8, P2) answered and survived."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import SERVER

# Liveness bounds, not speed targets (those live in the benchmarks): a request that gets no
# answer in this long has been lost.
ANSWER = 30


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def check_range(text: str, r: types.Range, encoding: str, what: str):
    lines = text.split("\n")
    for p in (r.start, r.end):
        assert 0 <= p.line < len(lines) or (p.line == len(lines) and p.character == 0), (
            f"{what}: line {p.line} outside a {len(lines)}-line document"
        )
        if p.line < len(lines):
            line = lines[p.line].rstrip("\r")
            assert 0 <= p.character <= units(line, encoding), (
                f"{what}: column {p.character} past the end of line {p.line} ({line!r})"
            )
    assert (r.start.line, r.start.character) <= (r.end.line, r.end.character), what


def text_of(uri: str, open_texts: dict[str, str]) -> str:
    """The text an edit applies to: the open document's, else the file's (empty when new)."""
    if uri in open_texts:
        return open_texts[uri]
    path = Path(uri.removeprefix("file://"))
    return path.read_bytes().decode() if path.exists() else ""


def encoding(client: LanguageClient) -> str:
    return client.server_capabilities.position_encoding or "utf-16"


def pulls(client: LanguageClient) -> bool:
    return client.capabilities.text_document is not None and (
        client.capabilities.text_document.diagnostic is not None
    )


def open_doc(client: LanguageClient, path: Path, text: str | None = None) -> str:
    text = path.read_bytes().decode() if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="markdown", version=1, text=text
            )
        )
    )
    return text


async def diagnostics(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    if pulls(client):
        report = await asyncio.wait_for(
            client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri=uri)
                )
            ),
            ANSWER,
        )
        return list(getattr(report, "items", []) or [])
    for _ in range(ANSWER * 10):
        if uri in client.diagnostics:
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.1)
    raise AssertionError(f"no diagnostics published for {uri}")


async def test_every_answer_is_typed_and_inside_its_document(client: LanguageClient):
    enc = encoding(client)
    caps = client.server_capabilities
    # Columns differ by encoding only where a line holds more than ASCII: emoji (two UTF-16
    # units, four bytes), CJK (one unit, three bytes) and CRLF line ends.
    unicode = client.workspace / "spec-kit/specs/004-unicode/spec.md"
    unicode.parent.mkdir(parents=True)
    unicode.write_bytes(
        "# Feature Specification: 絵文字 🚀\r\n\r\n## Requirements\r\n\r\n"
        "- **FR-001**: 🚀🚀 The 検索 service MUST be fast and TBD etc.\r\n"
        "- **FR-002**: The system SHALL respond quickly 👍 to FR-009.\r\n".encode()
    )
    docs = sorted(client.workspace.rglob("*.md"))
    assert len(docs) >= 10
    texts = {d.as_uri(): open_doc(client, d) for d in docs}
    found = 0
    for uri, text in texts.items():
        ident = types.TextDocumentIdentifier(uri=uri)
        diags = await diagnostics(client, uri)
        found += len(diags)
        if uri == unicode.as_uri():
            assert any(d.range.start.line >= 4 for d in diags), "no finding on the emoji lines"
        for d in diags:
            check_range(text, d.range, enc, f"{uri} diagnostic {d.code}")
            for r in d.related_information or []:
                target = r.location.uri
                check_range(text_of(target, texts), r.location.range, enc, f"{target} related")
            hover = await client.text_document_hover_async(
                types.HoverParams(text_document=ident, position=d.range.start)
            )
            if hover is not None and hover.range is not None:
                check_range(text, hover.range, enc, f"{uri} hover")
            actions = await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=ident,
                    range=d.range,
                    context=types.CodeActionContext(diagnostics=[d]),
                )
            )
            for a in actions or []:
                edit = getattr(a, "edit", None)
                for target, edits in ((edit.changes or {}) if edit else {}).items():
                    for e in edits:
                        check_range(text_of(target, texts), e.range, enc, f"{target} edit")
                for change in (edit.document_changes or []) if edit else []:
                    if isinstance(change, types.TextDocumentEdit):
                        target = change.text_document.uri
                        for e in change.edits:
                            check_range(text_of(target, texts), e.range, enc, f"{target} edit")
        symbols = await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=ident)
        )
        stack = list(symbols or [])
        while stack:
            s = stack.pop()
            r = s.range if isinstance(s, types.DocumentSymbol) else s.location.range
            check_range(text, r, enc, f"{uri} symbol {s.name}")
            stack.extend(getattr(s, "children", None) or [])
        if caps.code_lens_provider:
            for lens in await client.text_document_code_lens_async(
                types.CodeLensParams(text_document=ident)
            ) or []:
                check_range(text, lens.range, enc, f"{uri} code lens")
        if caps.semantic_tokens_provider:
            tokens = await client.text_document_semantic_tokens_full_async(
                types.SemanticTokensParams(text_document=ident)
            )
            data = tokens.data if tokens else []
            assert len(data) % 5 == 0
            line = col = 0
            lines = text.split("\n")
            for i in range(0, len(data), 5):
                dl, dc, length = data[i], data[i + 1], data[i + 2]
                line, col = line + dl, (col + dc if dl == 0 else dc)
                assert line < len(lines), f"{uri} token on line {line}"
                assert col + length <= units(lines[line].rstrip("\r"), enc), (
                    f"{uri} token past the end of line {line}"
                )
        links = await client.text_document_definition_async(
            types.DefinitionParams(
                text_document=ident, position=types.Position(line=0, character=0)
            )
        )
        assert links is None or isinstance(links, (list, types.Location))
    assert found > 0, "the examples carry findings; none arrived"


async def test_a_request_for_an_unknown_dollar_method_is_answered(client: LanguageClient):
    with pytest.raises(Exception) as raised:
        await asyncio.wait_for(
            client.protocol.send_request_async("$/specwright/unknown", {}), ANSWER
        )
    assert "-32601" in str(raised.value) or "not found" in str(raised.value).lower()


async def test_bad_bytes_on_the_wire_are_survived(client: LanguageClient):
    stdin = client._server.stdin
    bodies = [
        b'{"jsonrpc":"2.0","id":900,"method":"textDocument/hover","params":{"x":"\\ud800"}}',
        b'{"jsonrpc":"2.0","id":901,"method":"shutdown\xff\xfe"}',
        b'{"id":902,"method":"textDocument/hover","params":{}}',
        b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":7}}',
    ]
    for body in bodies:
        stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    await stdin.drain()
    # Still serving: a real request is answered after all of them.
    spec = next(client.workspace.rglob("spec.md"))
    text = open_doc(client, spec)
    hover = await asyncio.wait_for(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=spec.as_uri()),
                position=types.Position(line=0, character=2),
            )
        ),
        ANSWER,
    )
    assert hover is None or hover.contents is not None
    assert text
    assert client._server.returncode is None
    # The client saw answers to ids it never sent; that is the server being right, not an error.
    client.error = None


async def test_one_slow_document_does_not_stall_another(client: LanguageClient):
    big = client.workspace / "big.md"
    open_doc(client, big, "# Big\n\n" + "The service shall be fast and simple. " * 60_000 + "\n")
    small = next(client.workspace.rglob("spec.md"))
    open_doc(client, small)
    answer = await asyncio.wait_for(
        client.text_document_document_symbol_async(
            types.DocumentSymbolParams(
                text_document=types.TextDocumentIdentifier(uri=small.as_uri())
            )
        ),
        ANSWER,
    )
    assert answer


async def test_diagnostics_of_a_spec_follow_its_tasks_file(client: LanguageClient):
    """V8: deleting the tasks that cover a requirement changes the spec's diagnostics, pulled
    or pushed, without the spec itself being edited."""
    folder = next(p.parent for p in client.workspace.rglob("tasks.md") if "001" in str(p))
    spec, tasks = folder / "spec.md", folder / "tasks.md"
    open_doc(client, spec)
    text = open_doc(client, tasks)
    before = [d.code for d in await diagnostics(client, spec.as_uri())]
    kept = [l for l in text.split("\n") if not (l.lstrip().startswith("- [") and "FR-" in l)]
    assert len(kept) < len(text.split("\n")), "the example's tasks cite no FR"
    client.diagnostics.pop(spec.as_uri(), None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=tasks.as_uri(), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n".join(kept))],
        )
    )
    after = before
    for _ in range(ANSWER * 5):
        await asyncio.sleep(0.2)
        if pulls(client) or spec.as_uri() in client.diagnostics:
            after = [d.code for d in await diagnostics(client, spec.as_uri())]
            if after != before:
                break
    assert "uncovered-requirement" in after and after != before, (before, after)
    if pulls(client) and refreshes(client):
        assert client.diagnostic_refresh_count > 0, "no workspace/diagnostic/refresh sent"


def refreshes(client: LanguageClient) -> bool:
    w = client.capabilities.workspace
    return bool(w and w.diagnostics and w.diagnostics.refresh_support)


def test_exit_without_shutdown_ends_with_code_1(tmp_path: Path):
    def frame(obj) -> bytes:
        body = json.dumps(obj).encode()
        return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)

    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
    }
    for messages, code in [
        ([init, {"jsonrpc": "2.0", "method": "exit"}], 1),
        ([{"jsonrpc": "2.0", "method": "exit"}], 1),
        (
            [
                init,
                {"jsonrpc": "2.0", "method": "initialized", "params": {}},
                {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
                {"jsonrpc": "2.0", "method": "exit"},
            ],
            0,
        ),
    ]:
        proc = subprocess.Popen(
            [SERVER, "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        try:
            proc.stdin.write(b"".join(frame(m) for m in messages))
            proc.stdin.flush()
            assert proc.wait(timeout=ANSWER) == code, [m["method"] for m in messages]
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_the_capability_check_refuses_what_was_not_offered():
    """The checker the suite relies on fails when it should (a check that cannot fail checks
    nothing)."""
    from conftest import allowed, profile

    watch = types.RegistrationParams(
        registrations=[
            types.Registration(
                id="1", method="workspace/didChangeWatchedFiles", register_options={}
            )
        ]
    )
    assert allowed(profile("minimal"), "client/registerCapability", watch)
    assert allowed(profile("neovim"), "client/registerCapability", watch)
    assert allowed(profile("vscode"), "client/registerCapability", watch) is None
    assert allowed(profile("minimal"), "workspace/configuration", None)
    assert allowed(profile("neovim"), "workspace/diagnostic/refresh", None)
    assert allowed(profile("vscode"), "workspace/diagnostic/refresh", None) is None
    create = types.ApplyWorkspaceEditParams(
        edit=types.WorkspaceEdit(document_changes=[types.CreateFile(uri="file:///x.md")])
    )
    assert allowed(profile("minimal"), "workspace/applyEdit", create)
    assert allowed(profile("vscode"), "workspace/applyEdit", create) is None


async def execute(client: LanguageClient, command: str, argument):
    return await asyncio.wait_for(
        client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=command, arguments=[argument])
        ),
        ANSWER,
    )


async def test_commands_that_edit_ask_only_for_what_the_client_offered(client: LanguageClient):
    """V5–V7: every edit the server asks for (collect questions, decompose, a new ADR, a status
    change) goes through `workspace/applyEdit` only when the client offers it, with
    `documentChanges` and file creation only when offered, each range inside its document;
    `Collect questions` writes a well-formed line."""
    ws = client.workspace
    spec = ws / "spec-kit/specs/001-offline-drafts/spec.md"
    record = ws / "spec-kit/docs/adr/0003-store-offline-drafts-in-indexeddb.md"
    texts = {p.as_uri(): open_doc(client, p) for p in (spec, record)}
    applied_before = len(client.requests)
    for command, argument in [
        ("specwright.collectQuestions", {"uri": spec.as_uri()}),
        ("specwright.decompose", {"uri": (ws / "spec-kit/specs/002-share-drafts/spec.md").as_uri()}),
        ("specwright.adr.new", {"title": "Use PostgreSQL", "uri": record.as_uri()}),
        ("specwright.adr.setStatus", {"uri": record.as_uri(), "status": "deprecated"}),
    ]:
        try:
            await execute(client, command, argument)
        except Exception as e:  # a clear refusal is allowed; silence or a crash is not
            assert "applyEdit" in str(e) or "workspace" in str(e), (command, e)
    for method, params in client.requests[applied_before:]:
        if method != "workspace/applyEdit":
            continue
        for target, edits in (params.edit.changes or {}).items():
            for e in edits:
                check_range(text_of(target, texts), e.range, encoding(client), target)
                assert "[DATE)" not in e.new_text
        for change in params.edit.document_changes or []:
            if isinstance(change, types.TextDocumentEdit):
                for e in change.edits:
                    target = change.text_document.uri
                    check_range(text_of(target, texts), e.range, encoding(client), target)
                    assert "[DATE)" not in e.new_text
    offered = client.capabilities.workspace and client.capabilities.workspace.apply_edit
    asked = [m for m, _ in client.requests[applied_before:] if m == "workspace/applyEdit"]
    assert bool(asked) == bool(offered), (client.profile, asked)


async def test_code_actions_honour_only_and_reach_the_whole_title_line(client: LanguageClient):
    record = client.workspace / "spec-kit/docs/adr/0003-store-offline-drafts-in-indexeddb.md"
    open_doc(client, record)
    ident = types.TextDocumentIdentifier(uri=record.as_uri())
    at_column_0 = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=ident, range=at_column_0, context=types.CodeActionContext(diagnostics=[])
        )
    )
    titles = [a.title for a in actions or []]
    assert any("Supersede" in t for t in titles), titles
    only = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=ident,
            range=at_column_0,
            context=types.CodeActionContext(diagnostics=[], only=["refactor.rewrite"]),
        )
    )
    kinds = [a.kind for a in only or [] if isinstance(a, types.CodeAction)]
    assert all(k and str(k).startswith("refactor.rewrite") for k in kinds), kinds


async def test_explain_with_a_wrong_argument_says_what_is_wrong(client: LanguageClient):
    with pytest.raises(Exception) as raised:
        await execute(client, "specwright.explain", {"rule": 7})
    assert "unknown rule ``" not in str(raised.value)
    assert "rule" in str(raised.value)
    doc = await execute(client, "specwright.explain", {"rule": "vague-term"})
    assert "vague-term" in doc
