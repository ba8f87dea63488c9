"""`ladder lsp` driven end to end by a real LSP client (pytest-lsp over stdio).

A leaky fixture is opened; its diagnostic must have the right range, code, link and related
information in the negotiated position encoding (a non-ASCII comment on the fixed line makes
UTF-8 and UTF-16 columns differ); the quick fix must be the edit that, applied to the unsaved
buffer, makes the diagnostics go away. Run by scripts/test-lsp (and so by scripts/test).
"""

import os
import pathlib
import shutil

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("LADDER_BINARY") or str(REPO / ".build" / "debug" / "ladder")
FIXTURE = REPO / "fixtures" / "checks" / "missing-release" / "proc_pagetable_no_unmap.c"
FIX_TEXT = "uvmunmap(pagetable, TRAMPOLINE, 1, 0);"
# Before the statement the fix goes in front of: 2 + 4 UTF-8 bytes, 1 + 2 UTF-16 units.
PREFIX = "/* ü𝄞 */ "


def leaky_source() -> str:
    text = FIXTURE.read_text()
    assert "    uvmfree(pagetable, 0);  // expected-fix" in text
    return text.replace("    uvmfree(pagetable, 0);  // expected-fix", "    " + PREFIX + "uvmfree(pagetable, 0);  // expected-fix")


def character(line: str, byte_or_unit_index: int, encoding: str) -> int:
    """The Python string index of an LSP character offset on `line`."""
    count = 0
    for i, ch in enumerate(line):
        if count >= byte_or_unit_index:
            return i
        count += len(ch.encode("utf-8")) if encoding == "utf-8" else len(ch.encode("utf-16-le")) // 2
    return len(line)


def width(text: str, encoding: str) -> int:
    return len(text.encode("utf-8")) if encoding == "utf-8" else len(text.encode("utf-16-le")) // 2


def apply(text: str, edit: types.TextEdit, encoding: str) -> str:
    lines = text.split("\n")
    start, end = edit.range.start, edit.range.end
    assert start == end, "ladder's fixes are insertions"
    line = lines[start.line]
    i = character(line, start.character, encoding)
    lines[start.line] = line[:i] + edit.new_text + line[i:]
    return "\n".join(lines)


@pytest.fixture
def workspace(tmp_path):
    """The fixture in a scratch tree laid out like fixtures/checks (its header one up)."""
    shutil.copytree(REPO / "fixtures" / "checks" / "include", tmp_path / "include")
    (tmp_path / "case").mkdir()
    path = tmp_path / "case" / "proc_pagetable.c"
    # On disk the file is clean: only the unsaved buffer has the leak.
    fixed = leaky_source().replace("    " + PREFIX + "uvmfree", "    " + PREFIX + FIX_TEXT + "\n    uvmfree")
    path.write_text(fixed)
    return path


if not os.access(BINARY, os.X_OK):
    raise RuntimeError(f"{BINARY} is not built: run `swift build` first (or set LADDER_BINARY)")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BINARY, "lsp", "--debounce-ms", "300"]),
                    params=["utf-8", "utf-16"])
async def client(request, lsp_client: LanguageClient):
    encoding = request.param
    general = types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
        if encoding == "utf-8" else [types.PositionEncodingKind.Utf16])
    capabilities = types.ClientCapabilities(
        general=general,
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=False)),
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                related_information=True, version_support=True, code_description_support=True, data_support=True),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(value_set=[types.CodeActionKind.QuickFix])),
                is_preferred_support=True, data_support=True),
        ),
    )
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities))
    lsp_client.negotiated = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()


async def next_diagnostics(client: LanguageClient, uri: str) -> types.PublishDiagnosticsParams:
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri:
            return params


@pytest.mark.asyncio(loop_scope="function")
async def test_diagnostic_fix_and_clean_buffer(client: LanguageClient, request, workspace: pathlib.Path):
    encoding = request.node.callspec.params["client"]
    assert client.negotiated == encoding, "the server must take UTF-8 when offered, else UTF-16"
    uri = workspace.as_uri()
    text = leaky_source()
    lines = text.split("\n")
    # Fixes are computed against the disk: a quick fix is offered only while the buffer is
    # what the disk holds. The clean file goes back once the fix has been asked for.
    clean = workspace.read_text()
    workspace.write_text(text)

    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="c", version=1, text=text)))
    published = await next_diagnostics(client, uri)
    assert published.version == 1
    assert len(published.diagnostics) == 1, published.diagnostics
    d = published.diagnostics[0]
    return_line = next(i for i, l in enumerate(lines) if l.strip().startswith("return 0;   // expected-error"))
    assert d.code == "missing-release"
    assert d.source == "ladder"
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.message == "mapping from mappages() is not released on this error path"
    assert d.range.start == types.Position(line=return_line, character=4)
    # The statement's extent from libclang: `return 0`, not its `;` nor the comment after it.
    assert d.range.end == types.Position(line=return_line, character=4 + width("return 0", encoding))
    assert d.code_description is not None and d.code_description.href.endswith("rules.md#missing-release")
    related = [(r.location.range.start.line, r.message) for r in d.related_information]
    acquire_line = next(i for i, l in enumerate(lines) if "mappages(pagetable, TRAMPOLINE" in l)
    assert (acquire_line, "mapping 'pagetable' acquired here by mappages()") in related
    create_line = next(i for i, l in enumerate(lines) if "uvmcreate()" in l)
    assert (create_line, "uvmcreate() succeeds") in related
    assert (return_line, "returns '0' with it still held") in related

    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=d.range,
        context=types.CodeActionContext(diagnostics=[d])))
    assert actions is not None and len(actions) == 1, actions
    action = actions[0]
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.is_preferred
    edits = action.edit.changes[uri]
    assert len(edits) == 1
    fix_line = next(i for i, l in enumerate(lines) if PREFIX + "uvmfree" in l)
    # The statement shares its line with a comment, so the call goes in front of it.
    assert edits[0].range.start == types.Position(line=fix_line, character=width("    " + PREFIX, encoding))
    assert edits[0].new_text == FIX_TEXT + " "
    fixed = apply(text, edits[0], encoding)
    assert "    " + PREFIX + FIX_TEXT + " uvmfree(pagetable, 0);" in fixed
    workspace.write_text(clean)

    # Typing: two leaky versions then the fixed one, faster than the debounce. Only the last
    # is analysed and published, and it is clean.
    for version, body in [(2, text + "\n"), (3, text + "\n\n"), (4, fixed)]:
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=body)]))
    published = await next_diagnostics(client, uri)
    assert published.version == 4, "edits within the debounce must not be analysed one by one"
    assert list(published.diagnostics) == []

    # The buffer is leaky again but unsaved: the disk's clean text must not be what is checked.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=5),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    published = await next_diagnostics(client, uri)
    assert published.version == 5 and [x.code for x in published.diagnostics] == ["missing-release"]

    # A stale range gets no action: the positions were for version 5, not 6.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=6),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n" + text)]))
    stale = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=d.range,
        context=types.CodeActionContext(diagnostics=[])))
    assert not stale
    await next_diagnostics(client, uri)

    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    published = await next_diagnostics(client, uri)
    assert list(published.diagnostics) == []


@pytest.mark.asyncio(loop_scope="function")
async def test_unparsable_buffer_says_not_checked(client: LanguageClient, workspace: pathlib.Path):
    uri = workspace.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="c", version=1,
                                             text='#include "../include/xv6.h"\nint f(void) { return ; \n')))
    published = await next_diagnostics(client, uri)
    assert [d.code for d in published.diagnostics] == ["not-checked"], published.diagnostics
    assert published.diagnostics[0].severity == types.DiagnosticSeverity.Error


@pytest.mark.asyncio(loop_scope="function")
async def test_compile_database_flags_and_reload(client: LanguageClient, workspace: pathlib.Path):
    """Flags come from the compile_commands.json above the file; a changed database, once the
    client says so, is read again."""
    import json

    uri = workspace.as_uri()
    guarded = leaky_source().replace("    " + PREFIX + "uvmfree", "#ifndef LEAK\n    " + FIX_TEXT + "\n#endif\n    uvmfree")
    database = workspace.parent.parent / "compile_commands.json"

    def write_database(flags):
        database.write_text(json.dumps([{"directory": str(workspace.parent), "file": workspace.name,
                                         "arguments": ["cc", *flags, "-c", workspace.name]}]))

    write_database(["-DLEAK"])
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="c", version=1, text=guarded)))
    published = await next_diagnostics(client, uri)
    assert [d.code for d in published.diagnostics] == ["missing-release"], "the database's -DLEAK must be used"

    write_database([])
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=database.as_uri(), type=types.FileChangeType.Changed)]))
    published = await next_diagnostics(client, uri)
    assert list(published.diagnostics) == [], "after the reload the file is parsed without -DLEAK"
