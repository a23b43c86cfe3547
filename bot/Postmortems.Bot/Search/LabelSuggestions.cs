using Microsoft.Extensions.Options;
using Postmortems.Bot.Cards;
using Postmortems.Bot.Commands;
using Postmortems.Bot.Protocol;
using Postmortems.Core;
using Postmortems.Core.Search;
using Postmortems.Core.Storage;

namespace Postmortems.Bot.Search;

/// <summary>The services and tags a tenant's postmortems already use, suggested on the summary card.</summary>
public sealed record LabelSuggestions(IReadOnlyList<string> Services, IReadOnlyList<string> Tags)
{
    /// <summary>Reads the suggestions and answers "list &lt;words&gt;" from the search index.</summary>
    public sealed class Source(PostmortemSearch search, Core.Overview.PracticeOverview overview, IOptions<PostmortemOptions> options)
    {
        public Uri? TabUrl(string postmortemId) => options.Value.TabUrlFor(postmortemId);

        /// <summary>Earlier postmortems like this one, or none when storage can't say: the status card still answers.</summary>
        public async Task<IReadOnlyList<Core.Overview.SeenBefore>> SeenBeforeAsync(string tenantId, string postmortemId, CancellationToken cancellationToken)
        {
            try
            {
                return await overview.SeenBeforeAsync(tenantId, postmortemId, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageUnavailableException)
            {
                return [];
            }
        }

        /// <summary>The suggestions, or null when storage can't give them: the form still opens without them.</summary>
        public async Task<LabelSuggestions?> ReadAsync(string tenantId, CancellationToken cancellationToken)
        {
            try
            {
                var (services, tags) = await search.LabelsInUseAsync(tenantId, cancellationToken).ConfigureAwait(false);
                return new LabelSuggestions(services, tags);
            }
            catch (StorageUnavailableException)
            {
                return null;
            }
        }

        /// <summary>"list &lt;words&gt;": the tenant's postmortems that match, most recent first, as the tab's search finds them.</summary>
        public async Task<Activity> SearchReplyAsync(string tenantId, string words, DateOnly today, CancellationToken cancellationToken)
        {
            if (words.Length > 200 || SearchTerms.Of(words).Count > SearchTerms.MaxQueryWords)
            {
                return Replies.Text($"Please search with at most {SearchTerms.MaxQueryWords} words, for example: list checkout config");
            }

            var page = await search.SearchAsync(tenantId, new SearchRequest { Text = words, PageSize = LabelCards.MaxResults }, cancellationToken).ConfigureAwait(false);
            return Replies.Card(LabelCards.SearchResults(words, page, today, options.Value.TabUrlFor));
        }
    }
}
