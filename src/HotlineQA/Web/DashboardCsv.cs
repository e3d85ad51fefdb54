using System.Globalization;
using CsvHelper;
using HotlineQA.Review;

namespace HotlineQA.Host.Web;

/// <summary>The dashboards' data as CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read Chinese names).</summary>
public static class DashboardCsv
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard/ledger.csv", async (DashboardStore d, CancellationToken ct) =>
            Csv("ledger.csv", ["item", "confirmed", "overturned", "precision"],
                (await d.LedgerAsync(ct)).Select(r => new[] { r.Item, Num(r.Confirmed), Num(r.Overturned), r.Precision is { } p ? p.ToString("0.####", CultureInfo.InvariantCulture) : "" })));
        // basis=reviewed: the reviewed score/flag where reviewers judged the call, the automatic one elsewhere.
        app.MapGet("/dashboard/agents.csv", async (DashboardStore d, TimeProvider clock, int? days, string? basis, CancellationToken ct) =>
            Csv("agents.csv", ["agent", "week", "mean_score", "calls"], Flatten(await d.AgentTrendsAsync(Since(clock, days), basis == "reviewed", ct))));
        app.MapGet("/dashboard/queues.csv", async (DashboardStore d, TimeProvider clock, int? days, string? basis, CancellationToken ct) =>
            Csv("queues.csv", ["queue", "week", "flag_rate", "calls"], Flatten(await d.QueueFlagRatesAsync(Since(clock, days), basis == "reviewed", ct))));
        app.MapGet("/dashboard/sentiment.csv", async (DashboardStore d, TimeProvider clock, int? days, CancellationToken ct) =>
        {
            var (overall, end) = await d.SentimentTrendAsync(Since(clock, days), ct);
            return Csv("sentiment.csv", ["week", "sentiment_overall", "sentiment_end", "calls"], overall.Zip(end).Select(p => new[]
            {
                p.First.Week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.First.Value.ToString("0.####", CultureInfo.InvariantCulture),
                p.Second.Value.ToString("0.####", CultureInfo.InvariantCulture), Num(p.First.Calls),
            }));
        });
        app.MapGet("/dashboard/items.csv", async (DashboardStore d, TimeProvider clock, int? days, CancellationToken ct) =>
            Csv("items.csv", ["item", "week", "fail_rate", "calls"], Flatten(await d.ItemTrendsAsync(Since(clock, days), ct))));
    }

    private static DateTimeOffset Since(TimeProvider clock, int? days) => clock.GetUtcNow().AddDays(-Math.Clamp(days ?? 90, 7, 730));

    private static IEnumerable<string[]> Flatten(IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> series) =>
        series.SelectMany(kv => kv.Value.Select(p => new[] { kv.Key, p.Week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.Value.ToString("0.####", CultureInfo.InvariantCulture), Num(p.Calls) }));

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 by CsvHelper; a text cell that starts with = + - @, tab or CR (an agent or queue name from a
    /// <c>.meta.json</c>, say) gets a leading <c>'</c> so a spreadsheet shows it as text instead of running it as a formula.</summary>
    internal static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    private static IResult Csv(string name, string[] header, IEnumerable<string[]> rows)
    {
        var body = new MemoryStream();
        using (var csv = CsvWriter.Create(body, Options, leaveOpen: true))
        {
            csv.WriteRecord(header);
            foreach (var r in rows) csv.WriteRecord(r);
        }
        return Results.File(body.ToArray(), "text/csv; charset=utf-8", name);
    }
}
