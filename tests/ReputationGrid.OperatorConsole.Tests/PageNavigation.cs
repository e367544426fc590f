using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ReputationGrid.OperatorConsole.Tests;

internal static class PageNavigation
{
    private const float Timeout = 30_000;

    /// <summary>
    /// Waits until the page's address ends with <paramref name="ending"/> and its document has loaded, both asked of the
    /// page itself: WaitForURLAsync, on an address reached already, waits for a load event that a fast redirect chain can
    /// leave it never seeing.
    /// </summary>
    public static async Task ArrivesAtAsync(this IPage page, string ending)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(ending) + "$"), new() { Timeout = Timeout });
        // Evaluated as the test's own script, which the console's Content-Security-Policy (no eval) does not restrict.
        await page.EvaluateAsync("() => document.readyState === 'complete' || new Promise(loaded => window.addEventListener('load', () => loaded(true), { once: true }))");
    }
}
