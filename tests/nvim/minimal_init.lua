-- Loads only the Specwright plugin from this checkout, with the binary under test.
local root = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h:h')
vim.opt.runtimepath = { vim.env.VIMRUNTIME, root .. '/editors/nvim' }
vim.opt.packpath = {}
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
vim.cmd('filetype plugin on')
vim.cmd('runtime plugin/specwright.lua')
require('specwright').setup({ cmd = { vim.env.SPECWRIGHT_BIN, 'lsp' } })
