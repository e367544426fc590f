using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using ReputationGrid.Contracts;
using ReputationGrid.Grains.Cases;
using ReputationGrid.Testing;

namespace ReputationGrid.Grains.Tests;

/// <summary>Cases: every change stored before it is answered, with its time and author, files apart from the case, and the index of cases.</summary>
public sealed class CaseGrainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly StorageRecorder _storage = new();
    private ReputationGridCluster _cluster = null!;

    public async ValueTask InitializeAsync() =>
        _cluster = await ReputationGridCluster.StartAsync(options =>
        {
            options.Time = _time;
            options.Settings["Accounts:StorageName"] = "recorded";
            options.ConfigureSilo.Add(silo => _storage.Install(silo, "recorded"));
        });

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private ICaseGrain Case(string id) => _cluster.Client.GetGrain<ICaseGrain>(id);

    private static NewEvidenceItem Advert(string? link = null) =>
        new("the company's website", Now.AddDays(-3), "offers sends past the limits", link, link is null ? "advert.png" : null, link is null ? "image/png" : null);

    [Fact]
    public async Task A_case_keeps_its_members_notes_and_evidence_with_authors_and_times_across_activations()
    {
        var grain = Case("case-farm");
        Assert.Null((await grain.OpenAsync("SMS farm", "bulk sender", "ops-anna")).Error);
        Assert.NotNull((await grain.OpenAsync("again", null, "ops-bo")).Error);

        await grain.AddMemberAsync(CaseMemberKind.Account, "acct-1", "ops-anna");
        await grain.AddMemberAsync(CaseMemberKind.Account, "acct-1", "ops-bo"); // already in: unchanged
        await grain.AddMemberAsync(CaseMemberKind.Account, "acct-2", "ops-anna");
        await grain.AddMemberAsync(CaseMemberKind.Entity, "device/phone-9", "ops-anna");
        Assert.Null((await grain.RemoveMemberAsync(CaseMemberKind.Account, "acct-2")).Error);
        Assert.StartsWith("account:", (await grain.RemoveMemberAsync(CaseMemberKind.Account, "acct-2")).Error);
        _time.Advance(TimeSpan.FromMinutes(5));
        await grain.AddNoteAsync("same device as last month's farm", "ops-bo");

        var file = RandomNumberGenerator.GetBytes(3000);
        var withFile = await grain.AddEvidenceAsync(Advert(), file, "ops-anna");
        var withLink = await grain.AddEvidenceAsync(Advert("https://example.org/ad"), null, "ops-anna");
        Assert.Null(withFile.Error);
        Assert.Null(withLink.Error);
        Assert.StartsWith("link:", (await grain.AddEvidenceAsync(Advert("https://example.org/ad"), file, "ops-anna")).Error);

        await _cluster.Cluster.DeactivateAsync(grain);
        var view = (await grain.GetAsync())!;

        Assert.Equal(("case-farm", "SMS farm", "bulk sender", Now, "ops-anna"), (view.Id, view.Name, view.Description, view.OpenedAt, view.OpenedBy));
        Assert.Equal([new CaseMember("acct-1", Now, "ops-anna")], view.Accounts);
        Assert.Equal([new CaseMember("device/phone-9", Now, "ops-anna")], view.Entities);
        Assert.Equal([new CaseNote(Now.AddMinutes(5), "ops-bo", "same device as last month's farm")], view.Notes);
        Assert.Equal([1, 2], view.Evidence.Select(item => item.Number));
        var (attached, linked) = (view.Evidence[0], view.Evidence[1]);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(file)), 3000L, "advert.png", "ops-anna"), (attached.Sha256, attached.Size, attached.FileName, attached.RecordedBy));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("https://example.org/ad"))), linked.Sha256);
        Assert.Equal(Now.AddDays(-3), linked.SeenAt);
        Assert.Equal(file, await grain.GetFileAsync(1));
        Assert.Null(await grain.GetFileAsync(2));
    }

    [Fact]
    public async Task A_case_that_was_never_opened_is_absent_and_refuses_changes()
    {
        var grain = Case("case-never");

        Assert.Null(await grain.GetAsync());
        Assert.Equal(new CaseChange(null, null), await grain.AddNoteAsync("x", "ops"));
        Assert.Equal(new CaseChange(null, null), await grain.AddMemberAsync(CaseMemberKind.Account, "a", "ops"));
        Assert.Equal(0, _storage.Writes(grain.GetGrainId()));
    }

    [Fact]
    public async Task Opened_cases_are_listed_newest_first()
    {
        for (var i = 0; i < 3; i++)
        {
            await Case($"case-listed-{i}").OpenAsync($"case {i}", null, "ops");
        }

        var index = _cluster.Client.GetGrain<ICaseIndexGrain>(ICaseIndexGrain.Key);
        var first = await index.ReadAsync(null, 2);
        var rest = await index.ReadAsync(first.Next, 2);

        Assert.Equal(["case-listed-2", "case-listed-1", "case-listed-0"], first.Cases.Concat(rest.Cases).Select(c => c.Id));
        Assert.Null(rest.Next);
    }

    [Fact]
    public async Task A_case_refuses_evidence_beyond_its_bound()
    {
        var grain = Case("case-full");
        await grain.OpenAsync("full", null, "ops");
        for (var i = 0; i < CaseGrain.MaxEvidenceItems; i++)
        {
            Assert.Null((await grain.AddEvidenceAsync(Advert($"https://example.org/{i}"), null, "ops")).Error);
        }

        Assert.StartsWith("source:", (await grain.AddEvidenceAsync(Advert("https://example.org/more"), null, "ops")).Error);
    }
}
