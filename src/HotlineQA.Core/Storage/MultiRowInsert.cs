using System.Data.Common;
using Dapper;

namespace HotlineQA.Storage;

/// <summary>
/// One INSERT … VALUES (…), (…) per chunk instead of one statement per row: on PostgreSQL every statement is a
/// network round trip, so a 40-utterance transcript costs 1 instead of 40 (see bench `storage`).
/// </summary>
internal static class MultiRowInsert
{
    // Both SQLite (32,766 variables) and PostgreSQL (65,535 parameters) stay far below their limits with this.
    private const int MaxParameters = 4_000;

    /// <param name="head">"INSERT INTO t (a, b)"</param>
    /// <param name="tail">Anything after the VALUES list, e.g. an ON CONFLICT clause.</param>
    public static async Task ExecuteAsync<T>(DbConnection c, DbTransaction tx, string head, string tail, IReadOnlyList<T> rows,
        CancellationToken ct, params (string Name, Func<T, object?> Value)[] columns)
    {
        var perChunk = Math.Max(1, MaxParameters / columns.Length);
        for (var start = 0; start < rows.Count; start += perChunk)
        {
            var p = new DynamicParameters();
            var tuples = new List<string>();
            for (var r = start; r < Math.Min(rows.Count, start + perChunk); r++)
            {
                var names = new string[columns.Length];
                for (var k = 0; k < columns.Length; k++)
                {
                    names[k] = $"@{columns[k].Name}_{r}";
                    p.Add(names[k], columns[k].Value(rows[r]));
                }
                tuples.Add("(" + string.Join(", ", names) + ")");
            }
            await c.ExecuteAsync(new CommandDefinition($"{head} VALUES {string.Join(", ", tuples)} {tail}", p, tx, cancellationToken: ct));
        }
    }
}
