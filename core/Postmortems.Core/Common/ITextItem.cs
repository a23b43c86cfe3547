namespace Postmortems.Core.Common;

/// <summary>An item whose only content of its own is one text (a takeaway, what went well, where we got lucky).</summary>
public interface ITextItem
{
    string Text { get; }
}
