using HotlineQA.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages.Library;

public sealed class IndexModel(LibraryStore library, TriageStore triage, HotlineQA.Scoring.Rubric rubric) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Item { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public string? Agent { get; set; }
    [BindProperty(SupportsGet = true)] public string? Queue { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    /// <summary>A phrase of the transcript.</summary>
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sentiment { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }

    /// <summary>The rubric items the item box matched (by id, Chinese or English name); null when the box is blank.</summary>
    public IReadOnlyList<string>? MatchedItems { get; private set; }

    public IReadOnlyList<LibraryRow> Rows { get; private set; } = [];
    public IReadOnlyList<CollectionRow> Collections { get; private set; } = [];
    public TriageFacets Facets { get; private set; } = null!;
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostSaveAsync(long findingId, string? collection, string? note, CancellationToken ct)
    {
        if (await library.GetAsync(findingId, ct) is null) return NotFound();
        try
        {
            var id = await library.SaveAsync(collection ?? "", findingId, User.Identity!.Name!, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), ct);
            return Redirect($"/library/collections/{id}");
        }
        catch (ArgumentException e)
        {
            Error = e.Message.Split(" (Parameter", 2)[0];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Collections = await library.ListCollectionsAsync(ct);
        Facets = await triage.FacetsAsync(ct);
        MatchedItems = Names.FindItems(rubric, Item);
        var q = Blank(Q);
        if (q?.Length > TranscriptSearch.MaxLength)
        {
            Error = $"搜索的话太长 the phrase (q) is longer than {TranscriptSearch.MaxLength} characters";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Rows = await library.SearchAsync(new LibraryQuery
        {
            Items = MatchedItems, Text = q, Sentiment = TriageStore.SentimentFilters.Contains(Sentiment) ? Sentiment : null,
            Sort = LibraryStore.Sorts.Contains(Sort) ? Sort! : "date", Outcome = LibraryStore.Outcomes.Contains(Outcome) ? Outcome : null, Agent = Blank(Agent), Queue = Blank(Queue),
            From = From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            To = To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        }, ct);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
