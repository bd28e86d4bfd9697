-- End-to-end test of the Neovim plugin against the real server. Run by
-- server/cli/tests/nvim.rs: nvim --headless -u tests/nvim/minimal_init.lua -c 'luafile tests/nvim/e2e.lua'
-- Works on a copy of the examples in $SPECWRIGHT_WORKDIR; exits non-zero with a report on failure.
local workdir = assert(vim.env.SPECWRIGHT_WORKDIR, 'SPECWRIGHT_WORKDIR is not set')
local failures, passed = {}, 0

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    print('ok   ' .. name)
  else
    table.insert(failures, name .. (detail and (': ' .. detail) or ''))
    print('FAIL ' .. name .. (detail and (': ' .. detail) or ''))
  end
end

local function finish()
  print(string.format('nvim e2e: %d passed, %d failed', passed, #failures))
  io.stdout:flush()
  vim.cmd((#failures == 0) and 'qall!' or 'cquit! 1')
end

local function step(name, fn)
  local ok, err = pcall(fn)
  if not ok then
    check(name, false, tostring(err))
  end
end

local spec = workdir .. '/spec-kit/specs/002-share-drafts/spec.md'

step('open a spec and receive diagnostics', function()
  vim.cmd.edit(spec)
  local buf = vim.api.nvim_get_current_buf()
  check('filetype is markdown', vim.bo[buf].filetype == 'markdown', vim.bo[buf].filetype)
  local attached = vim.wait(15000, function()
    return require('specwright').client(buf) ~= nil
  end, 50)
  check('server attached', attached)
  local got = vim.wait(15000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  check('diagnostics arrive', got)
  local by_code = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    by_code[d.code] = by_code[d.code] or d
  end
  check('vague-term reported', by_code['vague-term'] ~= nil)
  local andor = by_code['and-or']
  check('and-or reported', andor ~= nil)
  if andor then
    local line = vim.api.nvim_buf_get_lines(buf, andor.lnum, andor.lnum + 1, false)[1]
    local text = line:sub(andor.col + 1, andor.end_col)
    check('and-or range is exact', text == 'and/or', text)
    check('diagnostic source', andor.source == 'specwright', andor.source)
  end
end)

step('apply a quick fix through a code action', function()
  local buf = vim.api.nvim_get_current_buf()
  local client = require('specwright').client(buf)
  local d
  for _, diag in ipairs(vim.diagnostic.get(buf)) do
    if diag.code == 'and-or' then
      d = diag
    end
  end
  assert(d, 'no and-or diagnostic')
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = {
      start = { line = d.lnum, character = d.col },
      ['end'] = { line = d.end_lnum, character = d.end_col },
    },
    context = { diagnostics = { d.user_data.lsp } },
  }
  local response = client:request_sync('textDocument/codeAction', params, 10000, buf)
  assert(response and response.result, 'no code actions: ' .. vim.inspect(response))
  local chosen
  for _, action in ipairs(response.result) do
    if action.title == 'Replace `and/or` with `or`' then
      chosen = action
    end
  end
  check('quick fix offered', chosen ~= nil, vim.inspect(vim.tbl_map(function(a)
    return a.title
  end, response.result)))
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  check('quick fix applied', line:find('by email or push', 1, true) ~= nil, line)
  local cleared = vim.wait(10000, function()
    for _, diag in ipairs(vim.diagnostic.get(buf)) do
      if diag.code == 'and-or' then
        return false
      end
    end
    return true
  end, 50)
  check('finding gone after the edit', cleared)
end)

step(':Specwright questions collects clarification questions', function()
  local buf = vim.api.nvim_get_current_buf()
  vim.cmd('Specwright questions')
  local done = vim.wait(10000, function()
    for _, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      if l == '## Clarifications' then
        return true
      end
    end
    return false
  end, 50)
  check('Clarifications section added', done)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local questions = vim.tbl_filter(function(l)
    return vim.startswith(l, '- Q: ')
  end, lines)
  check('questions listed', #questions > 5, tostring(#questions))
end)

step(':Specwright completion offers the server commands', function()
  local names = vim.fn.getcompletion('Specwright ', 'cmdline')
  check('completion', vim.list_contains(names, 'questions') and vim.list_contains(names, 'explain'), vim.inspect(names))
end)

step('a broken specwright.toml shows a diagnostic', function()
  local path = workdir .. '/spec-kit/specwright.toml'
  vim.cmd.edit(path)
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { '[rules]', 'vague-term = "loud"' })
  local got = vim.wait(15000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  check('config diagnostic arrives', got)
  local d = vim.diagnostic.get(buf)[1]
  check('config diagnostic on the bad value', d and d.lnum == 1 and d.message:find('loud', 1, true) ~= nil, d and d.message)
end)

--- The lines of `path`: its buffer when the workspace edit loaded one, else the file (Neovim
--- writes a created file that no window shows straight to disk).
local function buffer_lines(path)
  local buf = vim.fn.bufnr(path)
  if buf == -1 then
    return vim.fn.filereadable(path) == 1 and vim.fn.readfile(path) or {}
  end
  vim.fn.bufload(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

step(':Specwright decompose writes the tasks file', function()
  local spec_path = workdir .. '/spec-kit/specs/001-offline-drafts/spec.md'
  vim.cmd.edit(spec_path)
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(15000, function()
    return require('specwright').client(buf) ~= nil
  end, 50)
  -- The cursor on the Functional Requirements heading decomposes that section.
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l == '### Functional Requirements' then
      vim.api.nvim_win_set_cursor(0, { i, 0 })
    end
  end
  vim.cmd('Specwright decompose')
  local tasks = workdir .. '/spec-kit/specs/001-offline-drafts/tasks.md'
  local shown = vim.wait(15000, function()
    return vim.api.nvim_buf_get_name(0) == tasks
  end, 50)
  check('tasks file shown', shown, vim.api.nvim_buf_get_name(0))
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  local text = table.concat(lines, '\n')
  check('new phase for the section', vim.list_contains(lines, '## Phase 4: Functional Requirements'), text)
  check('new task with its requirement', text:find('- [ ] T008 Keep at most 50 MB of offline drafts per workspace (FR-005)', 1, true) ~= nil, text)
  -- FR-005 names no file: its task gets no boundary (none is guessed from the word "offline").
  local t008 = text:match('T008 Keep at most 50 MB[^\n]*\n([^\n]*)') or ''
  check('no boundary guessed', not t008:find('Boundary:', 1, true), t008)
  check('hand-written tasks kept', text:find('- [x] T001 Add `idb` to web/package.json', 1, true) ~= nil, text)
  -- Again: nothing changes.
  vim.cmd.edit(spec_path)
  local before = text
  vim.cmd('Specwright decompose Functional Requirements')
  vim.wait(3000, function()
    return false
  end, 100)
  local again = table.concat(buffer_lines(tasks), '\n')
  check('decompose is idempotent', again == before, again)
end)

local adr_dir = workdir .. '/spec-kit/docs/adr'

step(':Specwright adr supersede creates the successor and updates the old record', function()
  vim.cmd.edit(adr_dir .. '/0003-store-offline-drafts-in-indexeddb.md')
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(15000, function()
    return require('specwright').client(buf) ~= nil
  end, 50)
  vim.cmd('Specwright adr supersede Store drafts in OPFS')
  local new = adr_dir .. '/0007-store-drafts-in-opfs.md'
  local shown = vim.wait(15000, function()
    return vim.api.nvim_buf_get_name(0) == new
  end, 50)
  check('the new record is shown', shown, vim.api.nvim_buf_get_name(0))
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  check('new record title', lines[1] == '# 7. Store drafts in OPFS', lines[1])
  check(
    'new record links back',
    vim.list_contains(lines, 'Supersedes [3. Store offline drafts in IndexedDB](0003-store-offline-drafts-in-indexeddb.md)'),
    table.concat(lines, '\n')
  )
  local old = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  check(
    'old record superseded',
    vim.list_contains(old, 'Superseded by [7. Store drafts in OPFS](0007-store-drafts-in-opfs.md)'),
    table.concat(old, '\n')
  )
  check('old record keeps its link to 0002', vim.list_contains(old, 'Supersedes [2. Store offline drafts in localStorage](0002-store-offline-drafts-in-localstorage.md)'))
end)

step(':Specwright adr new, index and list', function()
  vim.cmd('Specwright adr new Cache rendered previews')
  local new = adr_dir .. '/0008-cache-rendered-previews.md'
  local shown = vim.wait(15000, function()
    return vim.api.nvim_buf_get_name(0) == new
  end, 50)
  check('new record shown', shown, vim.api.nvim_buf_get_name(0))
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  check('Nygard like the folder', lines[1] == '# 8. Cache rendered previews' and vim.list_contains(lines, 'Proposed'), table.concat(lines, '\n'))
  vim.cmd('Specwright adr index')
  local readme = adr_dir .. '/README.md'
  local indexed = vim.wait(15000, function()
    return vim.list_contains(buffer_lines(readme), '<!-- specwright:adr-index:start -->')
  end, 50)
  check('index written', indexed)
  local text = table.concat(buffer_lines(readme), '\n')
  check('index lists the new record', text:find('| [0008](0008-cache-rendered-previews.md) | Cache rendered previews | Proposed | 2026-01-15 |', 1, true) ~= nil, text)
  check('index links the successor', text:find('Superseded by [ADR-0007](0007-store-drafts-in-opfs.md)', 1, true) ~= nil, text)
  vim.cmd('Specwright adr list')
  local listed = vim.wait(10000, function()
    return #vim.fn.getqflist() >= 7
  end, 50)
  check('quickfix list of records', listed, tostring(#vim.fn.getqflist()))
  vim.cmd('cclose')
  local verbs = vim.fn.getcompletion('Specwright adr s', 'cmdline')
  check('adr verbs complete', vim.deep_equal(verbs, { 'status', 'supersede' }), vim.inspect(verbs))
end)

step(':Specwright dispatch runs a task on a fake agent', function()
  local repo = assert(vim.env.SPECWRIGHT_DISPATCH_REPO, 'SPECWRIGHT_DISPATCH_REPO is not set')
  local tasks = repo .. '/specs/001-sessions/tasks.md'
  vim.cmd.edit(tasks)
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(15000, function()
    return require('specwright').client(buf) ~= nil
  end, 50)
  -- Answer the two questions a user is asked: trust the workspace, run its commands.
  local asked = {}
  local select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    local labels = {}
    for _, item in ipairs(items) do
      table.insert(labels, type(item) == 'table' and item.title or item)
    end
    table.insert(asked, (opts.prompt or '') .. ' ' .. table.concat(labels, '|'))
    on_choice(items[1], 1)
  end
  local seen_progress = {}
  vim.api.nvim_create_autocmd('LspProgress', {
    callback = function(ev)
      local v = ev.data.params.value or {}
      if v.title then
        table.insert(seen_progress, v.title)
      end
      if v.kind == 'end' then
        table.insert(seen_progress, 'end ' .. (v.message or ''))
      end
    end,
  })
  check('task under the cursor', (function()
    vim.fn.search('T001')
    return require('specwright').task_at_cursor() == 'T001'
  end)())
  vim.cmd('Specwright dispatch')
  local done = vim.wait(60000, function()
    return vim.api.nvim_buf_get_lines(buf, 0, -1, false)[5]:find('[x] T001', 1, true) ~= nil
      and vim.list_contains(seen_progress, 'end 1/1 passed')
  end, 100)
  vim.ui.select = select
  check('asked to trust the workspace', asked[1] and asked[1]:find('Trust this workspace', 1, true) ~= nil, vim.inspect(asked))
  check('asked to run the agent command', asked[2] and asked[2]:find('agent `fake`', 1, true) ~= nil, vim.inspect(asked))
  check('checkbox ticked in the buffer', done, table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n'))
  check('dispatch progress shown', vim.list_contains(seen_progress, 'Dispatch T001') and vim.list_contains(seen_progress, 'end 1/1 passed'), vim.inspect(seen_progress))
  vim.fn.search('T003')
  vim.cmd('Specwright dispatch')
  local violated = vim.wait(60000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'dispatch/boundary-violated' then
        return true
      end
    end
    return false
  end, 100)
  check('boundary violation on the task line', violated, vim.inspect(vim.diagnostic.get(buf)))
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'dispatch/boundary-violated' then
      local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
      check('violation sits on T003', line:find('T003', 1, true) ~= nil, line)
    end
  end
  vim.cmd('Specwright log T003')
  local shown = vim.wait(10000, function()
    return vim.api.nvim_buf_get_name(0):find('/T003/events.jsonl', 1, true) ~= nil
  end, 50)
  check('log opened', shown, vim.api.nvim_buf_get_name(0))
end)

step(':checkhealth specwright', function()
  vim.cmd.cd(vim.env.SPECWRIGHT_DISPATCH_REPO)
  vim.cmd('checkhealth specwright')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  check('health reports the server version', text:find('server: specwright', 1, true) ~= nil, text)
  check('health has no errors', text:find('ERROR', 1, true) == nil, text)
  check('health lists the agents', text:find('agent fake (claude): python3', 1, true) ~= nil, text)
end)

finish()
