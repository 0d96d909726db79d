using System.Collections.Concurrent;
using System.Linq.Expressions;
using AccessTokenPanel.Domain.Data;
using AccessTokenPanel.Domain.Permissions;
using AccessTokenPanel.Domain.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace AccessTokenPanel.Domain.Tokens;

/// <summary>
/// A token's row found by its secret's hash, with what the bearer check needs beside it: its owner's
/// state, its parent's state (for derived tokens) and the policy's direct-call switches.
/// </summary>
public sealed record TokenLookupRow(AccessToken Token, bool OwnerDisabled, bool ParentRevoked, DateTime? ParentExpiresAt,
    bool ConfigurationDirect, bool ScimDirect, bool RestDirect, int OwnerRoleSet)
{
    /// <summary>
    /// The owner's current permissions (the union of their roles', read with the row as
    /// <see cref="PanelRoles.Bit"/>s), so that the bearer check needs no second query.
    /// </summary>
    public IReadOnlySet<string> OwnerPermissions => PanelRoles.PermissionsOfRoleSet(OwnerRoleSet);

    /// <summary>
    /// A derived token stops with its parent: any derived token when the parent is revoked; an
    /// exchanged access token also when the parent expired or was rotated past its overlap.
    /// </summary>
    public bool ParentLiveAt(DateTime utcNow) =>
        Token.ParentTokenId is null
        || (!ParentRevoked && (Token.Kind != TokenKind.Access || ParentExpiresAt > utcNow));

    /// <summary>The policy "long-lived tokens may call this API directly".</summary>
    public bool AllowsDirectCalls(ApiType api) => api switch
    {
        ApiType.Configuration => ConfigurationDirect,
        ApiType.Scim => ScimDirect,
        _ => RestDirect,
    };
}

/// <summary>
/// Reads a token's row by hash for <see cref="TokenValidator"/>, from the database on every call (so
/// a revocation counts on the very next call on every instance). The default runs a compiled EF
/// query; the host may register a faster reader of the same query (<see cref="EfTokenLookup.Query"/>) for its provider.
/// </summary>
public interface ITokenLookup
{
    Task<TokenLookupRow?> FindByHashAsync(byte[] hash, CancellationToken cancellationToken = default);
}

/// <summary>The lookup as one compiled EF query on the request's (pooled) context.</summary>
public sealed class EfTokenLookup(PanelDbContext db) : ITokenLookup
{
    // Written with PanelRoles.Bit, a .NET method; Query is the same with Bit inlined, which providers translate.
    private static readonly Expression<Func<PanelDbContext, byte[], IQueryable<TokenLookupRow>>> WrittenQuery = (context, hash) =>
        from t in context.AccessTokens.AsNoTracking()
        where t.SecretHash == hash
        join u in context.Users on t.OwnerId equals u.Id
        from p in context.AccessTokens.Where(p => p.Id == t.ParentTokenId).DefaultIfEmpty()
        select new TokenLookupRow(
                t,
                u.IsDisabled,
                p != null && p.RevokedAt != null,
                p != null ? (DateTime?)p.ExpiresAt : null,
                context.Settings.Where(s => s.Id == PanelSettings.SingletonId).Select(s => (bool?)s.ConfigurationApiDirectCalls).FirstOrDefault() ?? true,
                context.Settings.Where(s => s.Id == PanelSettings.SingletonId).Select(s => (bool?)s.ScimApiDirectCalls).FirstOrDefault() ?? true,
                context.Settings.Where(s => s.Id == PanelSettings.SingletonId).Select(s => (bool?)s.RestApiDirectCalls).FirstOrDefault() ?? true,
                context.UserRoles.Where(ur => ur.UserId == t.OwnerId)
                    .Join(context.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name)
                    .Sum(name => PanelRoles.Bit(name)));

    /// <summary>
    /// The one query of the bearer check: the token by hash (an indexed lookup), joined to its owner
    /// (disabled?) and to its parent (revoked? until when?: a derived token never outlives it, decided
    /// in the same statement so no race can leave one alive), the policy's per-API direct-call
    /// switches (no settings row yet: the defaults, all on), and the owner's roles as one number (the
    /// sum of their bits: a user holds a role once), from which their permissions follow.
    /// </summary>
    public static readonly Expression<Func<PanelDbContext, byte[], IQueryable<TokenLookupRow>>> Query =
        RoleBitsInlined.Into(WrittenQuery);

    /// <summary>Replaces each call of <see cref="PanelRoles.Bit"/> in a query by its translatable <see cref="PanelRoles.BitExpression"/>.</summary>
    private sealed class RoleBitsInlined : ExpressionVisitor
    {
        public static Expression<T> Into<T>(Expression<T> query) => (Expression<T>)new RoleBitsInlined().Visit(query);

        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method.DeclaringType == typeof(PanelRoles) && node.Method.Name == nameof(PanelRoles.Bit)
                ? ReplacingExpressionVisitor.Replace(PanelRoles.BitExpression.Parameters[0], Visit(node.Arguments[0]), PanelRoles.BitExpression.Body)
                : base.VisitMethodCall(node);
    }

    // Query, then SingleOrDefault, compiled once per provider context type (a compiled query binds to the
    // first provider it runs on): a call skips LINQ translation and the query cache look-up.
    private static readonly ConcurrentDictionary<Type, Func<PanelDbContext, byte[], CancellationToken, Task<TokenLookupRow?>>> Compiled = new();

    public Task<TokenLookupRow?> FindByHashAsync(byte[] hash, CancellationToken cancellationToken = default) =>
        Compiled.GetOrAdd(db.GetType(), Compile)(db, hash, cancellationToken);

    private static Func<PanelDbContext, byte[], CancellationToken, Task<TokenLookupRow?>> Compile(Type _)
    {
        var context = Expression.Parameter(typeof(PanelDbContext), "context");
        var hash = Expression.Parameter(typeof(byte[]), "hash");
        var cancellationToken = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        var rows = ReplacingExpressionVisitor.Replace(Query.Parameters, [context, hash], Query.Body);
        var single = Expression.Call(typeof(Queryable), nameof(Queryable.SingleOrDefault), [typeof(TokenLookupRow)], rows);
        return EF.CompileAsyncQuery(
            Expression.Lambda<Func<PanelDbContext, byte[], CancellationToken, TokenLookupRow?>>(single, context, hash, cancellationToken));
    }
}
