using Azure.Data.Tables;
using Orleans.Storage;
using ReputationGrid.Grains.Accounts;
using ReputationGrid.Scoring;
using ReputationGrid.Scoring.Policy;

namespace ReputationGrid.AzureStorage.Tests;

/// <summary>
/// The account storage as <c>Storage:Provider=azuretable</c> sets it up (Orleans' Azure Table grain storage, states in
/// Orleans' binary format) against Azurite, called as Orleans calls it: what ReputationGrid relies on.
/// </summary>
public sealed class AccountTableStorageTests(AccountStorageFixture fixture) : IClassFixture<AccountStorageFixture>
{
    private const string StateName = "payload";

    private readonly IGrainStorage _blank = fixture.Storage;

    private static GrainId NewGrain() => GrainId.Create("test", Guid.NewGuid().ToString("N"));

    private static GrainState<PayloadState> State(string label, int bytes = 16) =>
        new(new PayloadState { Label = label, Payload = RandomBytes(bytes) });

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    private static async Task<GrainState<T>> ReadAsync<T>(IGrainStorage storage, string stateName, GrainId grain)
    {
        var state = new GrainState<T>();
        await storage.ReadStateAsync(stateName, grain, state);
        return state;
    }

    [Fact]
    public async Task A_realistic_account_state_round_trips()
    {
        var account = new AccountReputation();
        var policy = new ScoringPolicy();
        var at = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        account.Behaviour.RecordRegistration(new Registration(at, NetworkKind.Mobile, Business: false, CountryCode: "44", IpPrefix: "10.1.2", DeviceId: "device-1"));
        for (var i = 0; i < 200; i++)
        {
            account.CheckSend(at.AddSeconds(i * 7), new OutgoingMessage($"friend-{i % 40}", RecipientIsContact: i % 5 != 0, Typed: true), policy, out _);
        }

        var grain = GrainId.Create("account", "alice");
        var written = new GrainState<AccountState>(new AccountState { Reputation = account.Encode() });
        await _blank.WriteStateAsync("account", grain, written);

        var read = await ReadAsync<AccountState>(_blank, "account", grain);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(written.State!.Reputation, read.State!.Reputation);
        Assert.Equal(account.Encode(), AccountReputation.Decode(read.State!.Reputation).Encode());
    }

    [Fact]
    public async Task Reading_a_missing_state_leaves_the_default_and_no_etag()
    {
        var read = await ReadAsync<PayloadState>(_blank, StateName, NewGrain());

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal("", read.State!.Label);
    }

    [Fact]
    public async Task The_entity_is_keyed_by_service_grain_and_state_name()
    {
        var grain = GrainId.Create("test", "keys/with#odd?chars");
        await _blank.WriteStateAsync(StateName, grain, State("keyed"));

        var stored = await fixture.Table.GetEntityIfExistsAsync<TableEntity>(
            $"{fixture.ServiceId}_test_keys_with_odd_chars", StateName, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(stored.HasValue);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_rejected_and_changes_nothing()
    {
        var grain = NewGrain();
        var first = State("first");
        await _blank.WriteStateAsync(StateName, grain, first);
        var staleEtag = first.ETag;
        first.State!.Label = "second";
        await _blank.WriteStateAsync(StateName, grain, first);

        var stale = new GrainState<PayloadState>(new PayloadState { Label = "stale" }) { ETag = staleEtag };
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => _blank.WriteStateAsync(StateName, grain, stale));

        Assert.Equal(staleEtag, stale.ETag);
        var read = await ReadAsync<PayloadState>(_blank, StateName, grain);
        Assert.Equal("second", read.State!.Label);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task Creating_a_state_that_already_exists_is_rejected()
    {
        var grain = NewGrain();
        await _blank.WriteStateAsync(StateName, grain, State("existing"));

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => _blank.WriteStateAsync(StateName, grain, State("unaware")));

        Assert.Equal("existing", (await ReadAsync<PayloadState>(_blank, StateName, grain)).State!.Label);
    }

    [Fact]
    public async Task Of_two_writers_racing_from_the_same_etag_exactly_one_wins()
    {
        var grain = NewGrain();
        var original = State("original");
        await _blank.WriteStateAsync(StateName, grain, original);
        var writers = Enumerable.Range(0, 2)
            .Select(i => new GrainState<PayloadState>(new PayloadState { Label = $"writer-{i}" }) { ETag = original.ETag })
            .ToArray();

        var outcomes = await Task.WhenAll(writers.Select(async writer =>
        {
            try
            {
                await _blank.WriteStateAsync(StateName, grain, writer);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(won => won));
        var winner = writers[Array.IndexOf(outcomes, true)];
        var read = await ReadAsync<PayloadState>(_blank, StateName, grain);
        Assert.Equal(winner.State!.Label, read.State!.Label);
        Assert.Equal(winner.ETag, read.ETag);
    }

    [Fact]
    public async Task A_state_larger_than_one_property_is_split_and_read_back_whole()
    {
        var grain = NewGrain();
        var large = State("large", bytes: 300 * 1024);
        await _blank.WriteStateAsync(StateName, grain, large);

        var read = await ReadAsync<PayloadState>(_blank, StateName, grain);
        Assert.Equal(large.State!.Payload, read.State!.Payload);

        var entity = (await fixture.Table.GetEntityAsync<TableEntity>(PartitionKeyOf(grain), StateName, cancellationToken: TestContext.Current.CancellationToken)).Value;
        var chunks = entity.Keys.Where(key => key.StartsWith("Data", StringComparison.Ordinal)).ToList();
        Assert.True(chunks.Count > 1, $"expected several data properties, got {string.Join(", ", chunks)}");
        Assert.All(chunks, chunk => Assert.True(entity.GetBinary(chunk).Length <= 64 * 1024));
    }

    [Fact]
    public async Task A_state_larger_than_an_entity_is_rejected_and_nothing_is_written()
    {
        var grain = NewGrain();
        var small = State("small");
        await _blank.WriteStateAsync(StateName, grain, small);
        var etag = small.ETag;
        small.State = new PayloadState { Label = "huge", Payload = RandomBytes(1024 * 1024) };

        await Assert.ThrowsAnyAsync<Exception>(() => _blank.WriteStateAsync(StateName, grain, small));

        Assert.Equal(etag, small.ETag);
        var read = await ReadAsync<PayloadState>(_blank, StateName, grain);
        Assert.Equal("small", read.State!.Label);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task An_account_stored_by_the_earlier_provider_in_its_layout_is_read()
    {
        // The layout ReputationGrid's own provider wrote: one entity keyed {service id}_{grain id} and the state name,
        // the binary state in the property Data.
        var account = new AccountReputation();
        account.Behaviour.RecordReply(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var encoded = account.Encode();
        var entity = new TableEntity($"{fixture.ServiceId}_account_legacy-alice", "account")
        {
            ["Data"] = fixture.Serializer.SerializeToArray(new AccountState { Reputation = encoded }),
        };
        await fixture.Table.AddEntityAsync(entity, TestContext.Current.CancellationToken);

        var read = await ReadAsync<AccountState>(_blank, "account", GrainId.Create("account", "legacy-alice"));

        Assert.True(read.RecordExists);
        Assert.Equal(encoded, read.State!.Reputation);
    }

    /// <summary>Where the layout puts a state of type <c>test</c>: service id, '_', grain id with '/' replaced.</summary>
    private string PartitionKeyOf(GrainId grain) => $"{fixture.ServiceId}_test_{grain.Key}";
}
