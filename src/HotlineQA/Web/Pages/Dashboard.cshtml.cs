using HotlineQA.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages;

public sealed class DashboardModel(DashboardStore dashboards, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public int Days { get; set; } = 90;

    public IReadOnlyList<LedgerRow> Ledger { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> Agents { get; private set; } = new Dictionary<string, IReadOnlyList<TrendPoint>>();
    public IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>> Items { get; private set; } = new Dictionary<string, IReadOnlyList<TrendPoint>>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Days = Math.Clamp(Days, 7, 730);
        var since = clock.GetUtcNow().AddDays(-Days);
        Ledger = await dashboards.LedgerAsync(ct);
        Agents = await dashboards.AgentTrendsAsync(since, ct);
        Items = await dashboards.ItemTrendsAsync(since, ct);
    }

    /// <summary>An inline SVG line chart of one series; <paramref name="max"/> is the top of the y axis.</summary>
    public static string Points(IReadOnlyList<TrendPoint> points, double max, int width = 240, int height = 60)
    {
        if (points.Count == 0) return "";
        var step = points.Count == 1 ? 0 : (double)(width - 8) / (points.Count - 1);
        return string.Join(" ", points.Select((p, i) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{4 + i * step:0.#},{height - 4 - (height - 8) * Math.Clamp(p.Value / max, 0, 1):0.#}")));
    }
}
