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

step(':checkhealth specwright', function()
  vim.cmd('checkhealth specwright')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  check('health reports the server version', text:find('server: specwright', 1, true) ~= nil, text)
  check('health has no errors', text:find('ERROR', 1, true) == nil, text)
end)

finish()
