namespace HotlineQA.Classification;

/// <summary>
/// Groups of cue words, found in one pass over a text: every word is indexed by its first character, so a text is
/// walked once whatever the number of words (the same answer as a substring search per word). The feature builders of
/// the classifier and the customer model run tens of thousands of times a second.
/// </summary>
internal sealed class CueWords
{
    private readonly Dictionary<char, (string Word, int Group)[]> _byFirst;
    // Whether some cue word starts with the character: most characters start none and skip the dictionary.
    private readonly bool[] _starts = new bool[65536];

    /// <param name="groups">Group <c>g</c> is <c>groups[g]</c> (at most 32 groups); empty words are ignored.</param>
    public CueWords(params string[][] groups)
    {
        if (groups.Length > 32) throw new ArgumentException("at most 32 groups of cue words", nameof(groups));
        _byFirst = groups.SelectMany((words, g) => words.Where(w => w.Length > 0).Select(w => (Word: w, Group: g)))
            .GroupBy(x => x.Word[0])
            .ToDictionary(x => x.Key, x => x.ToArray());
        foreach (var c in _byFirst.Keys) _starts[c] = true;
    }

    /// <summary>Bit <c>g</c> is set when some word of group <c>g</c> occurs in the text.</summary>
    public int Find(string text)
    {
        var mask = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!_starts[text[i]] || !_byFirst.TryGetValue(text[i], out var candidates)) continue;
            var rest = text.AsSpan(i);
            foreach (var (word, group) in candidates)
                if ((mask & (1 << group)) == 0 && rest.StartsWith(word, StringComparison.Ordinal)) mask |= 1 << group;
        }
        return mask;
    }

    public static bool Has(int mask, int group) => (mask & (1 << group)) != 0;
}
