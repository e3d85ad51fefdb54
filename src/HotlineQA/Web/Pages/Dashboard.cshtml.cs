using System.Globalization;
using System.Text.Json;
using HotlineQA.Review;
using HotlineQA.Scoring;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages;

public sealed class DashboardModel(DashboardStore dashboards, TimeProvider clock, Rubric rubric) : PageModel
{
    /// <summary>The period: <c>from</c>/<c>to</c> (inclusive days, UTC), or the last <c>days</c> days (default 90).</summary>
    [BindProperty(SupportsGet = true)] public int Days { get; set; } = 90;
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    /// <summary><c>auto</c> (the scorer's scores and flags) or <c>reviewed</c> (reviewed ones where reviewers judged the call).</summary>
    [BindProperty(SupportsGet = true)] public string? Basis { get; set; }

    public bool Reviewed => Basis == "reviewed";
    public IReadOnlyList<LedgerRow> Ledger { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> Agents { get; private set; } = new Dictionary<string, IReadOnlyList<TrendPoint>>();
    public IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> Items { get; private set; } = new Dictionary<string, IReadOnlyList<TrendPoint>>();
    public IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> Queues { get; private set; } = new Dictionary<string, IReadOnlyList<TrendPoint>>();
    public IReadOnlyList<TrendPoint> SentimentOverall { get; private set; } = [];
    public IReadOnlyList<TrendPoint> SentimentEnd { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        To ??= today;
        From ??= To.Value.AddDays(-(Math.Clamp(Days, 7, 730) - 1));
        if (From > To) (From, To) = (To, From);
        var since = new DateTimeOffset(From.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateOnly(To.Value.Year, To.Value.Month, To.Value.Day).AddDays(1);
        Ledger = await dashboards.LedgerAsync(ct);
        Agents = Until(await dashboards.AgentTrendsAsync(since, Reviewed, ct), until);
        Items = Until(await dashboards.ItemTrendsAsync(since, ct), until);
        Queues = Until(await dashboards.QueueFlagRatesAsync(since, Reviewed, ct), until);
        var (overall, end) = await dashboards.SentimentTrendAsync(since, ct);
        SentimentOverall = overall.Where(p => p.Week < until).ToList();
        SentimentEnd = end.Where(p => p.Week < until).ToList();
    }

    // The stores read "since"; the end of the range drops the weeks that start after it.
    private static Dictionary<string, IReadOnlyList<TrendPoint>> Until(IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> series, DateOnly until) =>
        series.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<TrendPoint>)kv.Value.Where(p => p.Week < until).ToList());

    /// <summary>The charts' data for dashboard.js: weeks as labels, one series per agent/item/queue, names from the rubric.</summary>
    public string ChartJson()
    {
        static string W(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        object Series(IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> s, Func<string, string> name, int digits)
        {
            var weeks = s.Values.SelectMany(v => v).Select(p => p.Week).Distinct().Order().ToList();
            return new
            {
                labels = weeks.Select(W),
                series = s.Select(kv => new
                {
                    code = kv.Key, name = name(kv.Key),
                    values = weeks.Select(w => kv.Value.FirstOrDefault(p => p.Week == w) is { } p ? Math.Round(p.Value, digits, MidpointRounding.AwayFromZero) : (double?)null),
                    calls = weeks.Select(w => kv.Value.FirstOrDefault(p => p.Week == w)?.Calls ?? 0),
                }),
            };
        }
        return JsonSerializer.Serialize(new
        {
            agents = Series(Agents, a => a, 1),
            items = Series(Items, i => rubric.NameOf(i).Zh, 3),
            queues = Series(Queues, q => q, 3),
            sentiment = Series(new Dictionary<string, IReadOnlyList<TrendPoint>> { ["overall"] = SentimentOverall, ["end"] = SentimentEnd },
                k => k == "overall" ? "整体 overall" : "结束时 at the end", 2),
            ledger = Ledger.Where(l => l.Precision is not null).Select(l => new { code = l.Item, name = rubric.NameOf(l.Item).Zh, precision = Math.Round(l.Precision!.Value, 3), l.Reviewed }),
        }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
    }
}
