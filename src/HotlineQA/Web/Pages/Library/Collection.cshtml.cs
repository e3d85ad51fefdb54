using HotlineQA.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages.Library;

public sealed class CollectionModel(LibraryStore library) : PageModel
{
    public CollectionRow Collection { get; private set; } = null!;
    public IReadOnlyList<LibraryRow> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var k = (await library.ListCollectionsAsync(ct)).FirstOrDefault(c => c.Id == id);
        if (k is null) return NotFound();
        Collection = k;
        Rows = await library.ListItemsAsync(id, ct);
        return Page();
    }
}
