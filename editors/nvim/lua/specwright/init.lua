--- Specwright for Neovim: a thin client over `specwright lsp`.
--- The analysis lives in the server; this module starts it, maps settings and commands, and
--- shows progress. It never re-implements a check.
local M = {}

local state = {
  --- Work-done progress of the server, by token: { title, message, percentage }.
  progress = {},
  --- Whether the user trusts the workspace to run the agents and commands it defines.
  trusted = false,
}

--- Options for `setup()`. Every field is optional.
--- @class specwright.Options
--- @field cmd? string[] Command that starts the server (default: `{ 'specwright', 'lsp' }`).
--- @field settings? table Editor settings, the keys of specwright.toml (`rules`, `ids`, …).
--- @field filetypes? string[] Filetypes to attach to (default: markdown, toml).
--- @field trusted? boolean Trust the workspace to run the agents, checks and ADR confirmations
--- its specwright.toml defines (default: false; `:Specwright dispatch` asks once per session).

--- Configures and enables the language server. Users of `vim.lsp.enable('specwright')` do
--- not need it; it is for overriding the command or passing settings.
--- @param opts? specwright.Options
function M.setup(opts)
  opts = opts or {}
  local config = {}
  if opts.cmd then
    config.cmd = opts.cmd
  end
  if opts.filetypes then
    config.filetypes = opts.filetypes
  end
  state.trusted = opts.trusted == true
  local settings = vim.tbl_extend('force', opts.settings or {}, { trusted = state.trusted })
  config.settings = { specwright = settings }
  config.init_options = settings
  vim.lsp.config('specwright', config)
  vim.lsp.enable('specwright')
end

--- The Specwright client attached to `bufnr` (default: current buffer), if any.
function M.client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr or 0, name = 'specwright' })[1]
end

--- Whether the server advertises `command` in its executeCommandProvider.
function M.supports(client, command)
  local provider = client and client.server_capabilities.executeCommandProvider
  return provider ~= nil and vim.list_contains(provider.commands or {}, command)
end

--- Runs a server command `specwright.<verb>` with one object argument.
local function execute(verb, arg, on_result)
  local client = M.client()
  local command = 'specwright.' .. verb
  if not client then
    vim.notify('Specwright: no server attached to this buffer', vim.log.levels.WARN)
    return
  end
  if not M.supports(client, command) then
    vim.notify('Specwright: this server version does not offer ' .. command, vim.log.levels.WARN)
    return
  end
  client:request('workspace/executeCommand', { command = command, arguments = { arg or vim.empty_dict() } }, function(err, result)
    if err then
      vim.notify('Specwright: ' .. command .. ' failed: ' .. err.message, vim.log.levels.ERROR)
      return
    end
    if on_result then
      on_result(result)
    end
  end)
end

local function show_markdown(text, title)
  local lines = vim.split(text, '\n', { plain = true })
  vim.cmd('new')
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].filetype = 'markdown'
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].modifiable = false
  pcall(vim.api.nvim_buf_set_name, buf, title)
end

--- Subcommands of `:Specwright`, each backed by a server command (shown only when the server
--- offers it).
M.subcommands = {
  questions = {
    command = 'specwright.collectQuestions',
    run = function()
      execute('collectQuestions', { uri = vim.uri_from_bufnr(0) }, function(result)
        if result and result.applied then
          vim.notify('Specwright: clarification questions collected')
        else
          vim.notify('Specwright: ' .. ((result and result.reason) or 'no questions added'))
        end
      end)
    end,
  },
  explain = {
    command = 'specwright.explain',
    run = function(args)
      local rule = args[1]
      if not rule then
        -- The rule of the diagnostic under the cursor.
        local lnum = vim.api.nvim_win_get_cursor(0)[1] - 1
        for _, d in ipairs(vim.diagnostic.get(0, { lnum = lnum })) do
          if d.source == 'specwright' then
            rule = d.code
            break
          end
        end
      end
      if not rule then
        vim.notify('Specwright: :Specwright explain RULE (or put the cursor on a finding)', vim.log.levels.WARN)
        return
      end
      execute('explain', { rule = rule }, function(result)
        show_markdown(result, 'specwright://explain/' .. rule)
      end)
    end,
  },
  rules = {
    command = 'specwright.rules',
    run = function()
      execute('rules', nil, function(result)
        local lines = { '# Specwright rules', '' }
        for _, r in ipairs(result or {}) do
          table.insert(lines, string.format('- `%s` (%s): %s', r.id, r.defaultSeverity, r.summary))
        end
        show_markdown(table.concat(lines, '\n'), 'specwright://rules')
      end)
    end,
  },
}

local function notify_changed(what, result)
  if result and result.uri then
    vim.notify('Specwright: ' .. what .. ' ' .. vim.fn.fnamemodify(vim.uri_to_fname(result.uri), ':~:.'))
  elseif result and result.changed and #result.changed == 0 then
    vim.notify('Specwright: ' .. what .. ': up to date')
  else
    vim.notify('Specwright: ' .. what)
  end
end

--- `:Specwright adr {verb}`: the ADR actions. The server plans each one and applies it as a
--- single workspace edit (new files included), then shows the record it created.
local adr_verbs = {
  new = function(args)
    if #args == 0 then
      vim.notify('Specwright: :Specwright adr new {title}', vim.log.levels.WARN)
      return
    end
    execute('adr.new', { title = table.concat(args, ' '), uri = vim.uri_from_bufnr(0) }, function(result)
      notify_changed('created', result)
    end)
  end,
  supersede = function(args)
    local arg = { uri = vim.uri_from_bufnr(0) }
    if #args > 0 then
      arg.title = table.concat(args, ' ')
    end
    execute('adr.supersede', arg, function(result)
      notify_changed('superseded by', result)
    end)
  end,
  status = function(args)
    if #args ~= 1 then
      vim.notify('Specwright: :Specwright adr status {accepted|rejected|deprecated|…}', vim.log.levels.WARN)
      return
    end
    execute('adr.setStatus', { uri = vim.uri_from_bufnr(0), status = args[1] }, function()
      vim.notify('Specwright: status set to ' .. args[1])
    end)
  end,
  index = function()
    execute('adr.index', { uri = vim.uri_from_bufnr(0) }, function(result)
      notify_changed('ADR index refreshed', result)
    end)
  end,
  list = function()
    execute('adr.list', { uri = vim.uri_from_bufnr(0) }, function(result)
      local items = {}
      for _, r in ipairs((result and result.records) or {}) do
        table.insert(items, {
          filename = r.uri and vim.uri_to_fname(r.uri) or '',
          lnum = 1,
          text = string.format('%s  %s  %s  %s', r.number and string.format('%04d', r.number) or '—', r.status or '', r.date or '', r.title),
        })
      end
      vim.fn.setqflist({}, ' ', { title = 'ADRs in ' .. ((result and result.dir) or '?'), items = items })
      vim.cmd('copen')
    end)
  end,
}

--- `:Specwright decompose [{section}]`: the section named, else the one whose heading is under
--- the cursor, else the whole spec, into the sibling tasks.md (shown afterwards).
M.subcommands.decompose = {
  command = 'specwright.decompose',
  run = function(args)
    local arg = { uri = vim.uri_from_bufnr(0) }
    if #args > 0 then
      arg.section = table.concat(args, ' ')
    else
      local line = vim.api.nvim_get_current_line()
      local heading = line:match('^#+%s+(.-)%s*$')
      if heading and not line:match('^#%s') then
        arg.section = heading
      end
    end
    execute('decompose', arg, function(result)
      result = result or {}
      vim.notify(string.format(
        'Specwright: tasks %d new, %d updated, %d unchanged%s',
        #(result.created or {}),
        #(result.updated or {}),
        #(result.unchanged or {}),
        (#(result.stale or {}) > 0) and ('; requirement gone for ' .. table.concat(result.stale, ', ')) or ''
      ))
    end)
  end,
}

--- The verbs of `:Specwright adr`, for completion.
M.adr_verbs = { 'index', 'list', 'new', 'status', 'supersede' }

M.subcommands.adr = {
  command = 'specwright.adr.new',
  run = function(args)
    local verb = table.remove(args, 1)
    local fn = verb and adr_verbs[verb]
    if not fn then
      vim.notify('Specwright: usage :Specwright adr ' .. table.concat(M.adr_verbs, '|'), vim.log.levels.WARN)
      return
    end
    fn(args)
  end,
}

--- The id of the task on the cursor line (or on a detail line under it), if any. The server
--- reads task lines (every notation it knows); this client never parses them.
function M.task_at_cursor()
  local client = M.client()
  if not client or not M.supports(client, 'specwright.taskAt') then
    return nil
  end
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local arg = { uri = params.textDocument.uri, position = params.position }
  local response = client:request_sync('workspace/executeCommand', { command = 'specwright.taskAt', arguments = { arg } }, 2000, 0)
  local task = response and response.result
  if type(task) ~= 'table' then
    return nil
  end
  return task.id
end

--- Tells the server the workspace is trusted (it refuses to dispatch otherwise).
function M.trust()
  state.trusted = true
  local client = M.client()
  if client then
    local settings = vim.deepcopy(((client.settings or client.config.settings or {}).specwright) or {})
    settings.trusted = true
    -- Kept in the client's settings too, so a later configuration pull says the same.
    if client.settings then
      client.settings.specwright = settings
    end
    client:notify('workspace/didChangeConfiguration', { settings = { specwright = settings } })
  end
end

--- Runs `fn` once the workspace is trusted, asking first when it is not.
local function when_trusted(fn)
  if state.trusted then
    fn()
    return
  end
  vim.ui.select({ 'Trust this workspace and dispatch', 'Cancel' }, {
    prompt = 'Specwright: dispatching runs the agents and commands this repository defines.',
  }, function(choice)
    if choice == 'Trust this workspace and dispatch' then
      M.trust()
      fn()
    end
  end)
end

local function dispatch(verb, arg)
  when_trusted(function()
    execute(verb, arg, function(result)
      if result and result.started then
        vim.notify(string.format('Specwright: run %s started: %s', result.run, table.concat(result.tasks or {}, ', ')))
      elseif result and result.reason then
        vim.notify('Specwright: nothing dispatched (' .. result.reason .. ')')
      end
    end)
  end)
end

--- `:Specwright dispatch [{task}…|all]`: the tasks named, else the task on the cursor line,
--- else every open task of the file.
M.subcommands.dispatch = {
  command = 'specwright.dispatch',
  run = function(args)
    local arg = { uri = vim.uri_from_bufnr(0) }
    if #args > 0 and args[1] ~= 'all' then
      arg.tasks = args
    elseif #args == 0 then
      arg.task = M.task_at_cursor()
    end
    dispatch('dispatch', arg)
  end,
}

--- `:Specwright ready`: every open task whose dependencies are done.
M.subcommands.ready = {
  command = 'specwright.dispatchReady',
  run = function()
    dispatch('dispatchReady', { uri = vim.uri_from_bufnr(0) })
  end,
}

--- `:Specwright cancel [{task}]`: one task (named or on the cursor line), else every run.
M.subcommands.cancel = {
  command = 'specwright.cancel',
  run = function(args)
    local task = args[1] or M.task_at_cursor()
    local verb = task and 'cancel' or 'cancelAll'
    execute(verb, { task = task }, function(result)
      local cancelled = (result and result.cancelled) or {}
      vim.notify('Specwright: ' .. (#cancelled > 0 and ('cancelled ' .. table.concat(cancelled, ', ')) or 'nothing running'))
    end)
  end,
}

--- `:Specwright log [{task}]`: the agent's log of the latest run of a task.
M.subcommands.log = {
  command = 'specwright.showLog',
  run = function(args)
    local task = args[1] or M.task_at_cursor()
    if not task then
      vim.notify('Specwright: :Specwright log TASK (or put the cursor on a task)', vim.log.levels.WARN)
      return
    end
    execute('showLog', { uri = vim.uri_from_bufnr(0), task = task })
  end,
}

--- `:Specwright runs`: the dispatch runs of this repository in the quickfix list.
M.subcommands.runs = {
  command = 'specwright.runs',
  run = function()
    local tasks_file = vim.api.nvim_buf_get_name(0)
    execute('runs', { uri = vim.uri_from_bufnr(0) }, function(result)
      local items = {}
      for _, run in ipairs(result or {}) do
        for _, r in ipairs(run.results or {}) do
          table.insert(items, {
            filename = tasks_file,
            lnum = 1,
            text = string.format('%s  %s  %s  %s', run.id, r.task, r.outcome, r.summary),
          })
        end
      end
      vim.fn.setqflist({}, ' ', { title = 'Specwright runs', items = items })
      vim.cmd('copen')
    end)
  end,
}

--- `:Specwright integrate {branch}`: merge the passed branches of the latest run into a branch.
M.subcommands.integrate = {
  command = 'specwright.integrate',
  run = function(args)
    if #args ~= 1 then
      vim.notify('Specwright: :Specwright integrate BRANCH', vim.log.levels.WARN)
      return
    end
    execute('integrate', { uri = vim.uri_from_bufnr(0), into = args[1] })
  end,
}

--- `:Specwright worktrees`: remove the worktrees of finished tasks.
M.subcommands.worktrees = {
  command = 'specwright.worktrees.clean',
  run = function()
    execute('worktrees.clean', { uri = vim.uri_from_bufnr(0) }, function(result)
      vim.notify(string.format('Specwright: removed %d worktree(s)', #((result and result.removed) or {})))
    end)
  end,
}

--- Names of the subcommands the attached server supports (all of them when none is attached,
--- so completion still helps before the server starts).
function M.available()
  local client = M.client()
  local names = {}
  for name, sub in pairs(M.subcommands) do
    if not client or M.supports(client, sub.command) then
      table.insert(names, name)
    end
  end
  table.sort(names)
  return names
end

function M.command(opts)
  local args = vim.split(vim.trim(opts.args), '%s+', { trimempty = true })
  local name = table.remove(args, 1)
  local sub = name and M.subcommands[name]
  if not sub then
    vim.notify('Specwright: usage :Specwright ' .. table.concat(M.available(), '|'), vim.log.levels.WARN)
    return
  end
  sub.run(args)
end

--- Whether the workspace is trusted to dispatch.
function M.trusted()
  return state.trusted
end

--- For the statusline: the server's current work, or '' when idle.
function M.status()
  for _, p in pairs(state.progress) do
    local text = 'Specwright: ' .. (p.title or '')
    if p.message then
      text = text .. ' ' .. p.message
    end
    if p.percentage then
      text = text .. string.format(' (%d%%)', p.percentage)
    end
    return text
  end
  return ''
end

--- Tracks `$/progress` of the Specwright server (LspProgress autocmd).
function M.on_progress(ev)
  local client = vim.lsp.get_client_by_id(ev.data.client_id)
  if not client or client.name ~= 'specwright' then
    return
  end
  local params = ev.data.params
  local value = params.value or {}
  local token = tostring(params.token)
  if value.kind == 'end' then
    local title = (state.progress[token] or {}).title or 'done'
    state.progress[token] = nil
    vim.notify('Specwright: ' .. title .. (value.message and (': ' .. value.message) or ''))
  else
    local p = state.progress[token] or {}
    p.title = value.title or p.title
    p.message = value.message
    p.percentage = value.percentage
    state.progress[token] = p
  end
  vim.cmd.redrawstatus()
end

return M
