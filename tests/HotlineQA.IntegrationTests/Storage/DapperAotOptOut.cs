// Dapper's analyzer suggests its AOT source generator; we run on the JIT and use Dapper's reflection mapping on purpose.
[module: Dapper.DapperAot(false)]
