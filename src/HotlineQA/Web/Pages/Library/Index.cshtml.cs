using HotlineQA.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages.Library;

public sealed class IndexModel(LibraryStore library, TriageStore triage) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Item { get; set; }
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public string? Agent { get; set; }
    [BindProperty(SupportsGet = true)] public string? Queue { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

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
        Rows = await library.SearchAsync(new LibraryQuery
        {
            Item = Blank(Item), Outcome = LibraryStore.Outcomes.Contains(Outcome) ? Outcome : null, Agent = Blank(Agent), Queue = Blank(Queue),
            From = From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            To = To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
        }, ct);
        Collections = await library.ListCollectionsAsync(ct);
        Facets = await triage.FacetsAsync(ct);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
