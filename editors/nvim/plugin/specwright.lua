-- Registered whenever the plugin is on the runtimepath; the server itself starts through
-- `vim.lsp.enable('specwright')` or `require('specwright').setup()`.
if vim.g.loaded_specwright then
  return
end
vim.g.loaded_specwright = true

vim.api.nvim_create_user_command('Specwright', function(opts)
  require('specwright').command(opts)
end, {
  nargs = '+',
  desc = 'Specwright: questions | explain [RULE] | rules | decompose [SECTION] | adr … | dispatch [TASK…|all] | ready | cancel [TASK] | log [TASK] | runs | integrate BRANCH | worktrees',
  complete = function(arglead, cmdline)
    local words = vim.split(cmdline, '%s+', { trimempty = true })
    -- The word being completed is `arglead` (empty after a trailing space).
    local position = #words + ((arglead == '') and 1 or 0)
    local candidates
    if position == 2 then
      candidates = require('specwright').available()
    elseif position == 3 and words[2] == 'adr' then
      candidates = require('specwright').adr_verbs
    else
      return {}
    end
    return vim.tbl_filter(function(name)
      return vim.startswith(name, arglead)
    end, candidates)
  end,
})

vim.api.nvim_create_autocmd('LspProgress', {
  group = vim.api.nvim_create_augroup('specwright.progress', {}),
  callback = function(ev)
    require('specwright').on_progress(ev)
  end,
})
