using HotlineQA.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages;

public sealed class TriageModel(TriageStore triage, HotlineQA.Scoring.Rubric rubric) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Reason { get; set; }
    [BindProperty(SupportsGet = true)] public string? Item { get; set; }
    [BindProperty(SupportsGet = true)] public string? Severity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Agent { get; set; }
    [BindProperty(SupportsGet = true)] public string? Queue { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public double? MinScore { get; set; }
    [BindProperty(SupportsGet = true)] public double? MaxScore { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    /// <summary><c>no</c> (not reviewed), <c>yes</c> (reviewed) or blank.</summary>
    [BindProperty(SupportsGet = true)] public string? Reviewed { get; set; }
    /// <summary>A reviewer's name; <c>me</c> is the logged-in user ("my queue").</summary>
    [BindProperty(SupportsGet = true)] public string? Reviewer { get; set; }
    /// <summary>A phrase of the transcript.</summary>
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sentiment { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNo { get; set; }

    public IReadOnlyList<TriageRow> Rows { get; private set; } = [];
    public bool HasNext { get; private set; }
    public TriageFacets Facets { get; private set; } = null!;

    public string? Error { get; private set; }

    /// <summary>Flag reasons the filter offers: those of the stored scores plus the rubric's score threshold.</summary>
    public IReadOnlyList<string> FlagReasons => Facets.FlagReasons
        .Append("SCORE_BELOW_" + rubric.Settings.FlagBelow.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNo = Math.Max(0, PageNo);
        Facets = await triage.FacetsAsync(ct);
        var q = Blank(Q);
        if (q?.Length > HotlineQA.Review.TranscriptSearch.MaxLength)
        {
            Error = $"搜索的话太长 the phrase (q) is longer than {HotlineQA.Review.TranscriptSearch.MaxLength} characters";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var sort = Sort is not null && TriageStore.Sorts.ContainsKey(Sort) ? Sort : "priority";
        var rows = await triage.ListAsync(new TriageQuery
        {
            FlagReason = Blank(Reason), Item = Blank(Item), Severity = Blank(Severity), Agent = Blank(Agent), Queue = Blank(Queue),
            From = From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            // "To" is inclusive for the user: the whole day.
            To = To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            MinScore = MinScore, MaxScore = MaxScore, Sort = sort,
            Reviewed = Reviewed switch { "yes" => true, "no" => false, _ => null },
            Reviewer = Blank(Reviewer) is { } r ? (r == "me" ? User.Identity?.Name : r) : null,
            Text = q, Sentiment = TriageStore.SentimentFilters.Contains(Sentiment) ? Sentiment : null,
            Limit = PageSize + 1, Offset = PageNo * PageSize,
        }, ct);
        HasNext = rows.Count > PageSize;
        Rows = rows.Take(PageSize).ToList();
    }

    public string PageLink(int page)
    {
        var q = Request.Query.Where(kv => kv.Key != "page").SelectMany(kv => kv.Value.Select(v => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(v ?? "")}"));
        return "/triage?" + string.Join("&", q.Append($"page={page}"));
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
