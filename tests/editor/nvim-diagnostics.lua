-- Opens a rules file in neovim (0.7+: vim.lsp.start_client), attaches `telpolicy lsp` with the
-- built-in LSP client, waits for its diagnostics and writes them, one a line:
-- "lnum<TAB>col<TAB>severity<TAB>message" (0-based line and byte column, as neovim keeps them).
-- Run by check-nvim-diagnostics.py with TELPOLICY_LSP_BINARY, TELPOLICY_LSP_FILE, TELPOLICY_LSP_OUT.
local binary = os.getenv('TELPOLICY_LSP_BINARY')
local file = os.getenv('TELPOLICY_LSP_FILE')
local out = os.getenv('TELPOLICY_LSP_OUT')

local function fail(message)
  io.stderr:write('nvim-diagnostics.lua: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buffer = vim.api.nvim_get_current_buf()
local published = false
local client_id = vim.lsp.start_client({
  name = 'telpolicy',
  cmd = { binary, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
  handlers = {
    -- Neovim's own handler, then a flag: an empty list is an answer too.
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      published = true
    end,
  },
})
if not client_id then fail('could not start ' .. binary .. ' lsp') end
vim.lsp.buf_attach_client(buffer, client_id)

-- Generous: a slow or loaded machine still gets there; the test fails only if nothing comes.
if not vim.wait(30000, function() return published end, 50) then fail('no diagnostics within 30 s') end

local lines = {}
for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
  table.insert(lines, string.format('%d\t%d\t%d\t%s', diagnostic.lnum, diagnostic.col, diagnostic.severity,
                                    diagnostic.message))
end
local handle = io.open(out, 'w')
if not handle then fail('cannot write ' .. out) end
handle:write(table.concat(lines, '\n'))
if #lines > 0 then handle:write('\n') end
handle:close()

vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
vim.cmd('qall!')
