namespace AccessTokenPanel.Web.Hosting;

/// <summary>
/// A redirect carries no body. Static server-rendered forms redirect with
/// <c>NavigationManager.NavigateTo</c>; with <c>BlazorDisableThrowNavigationException</c> (the
/// .NET 10 template's setting) that sets the 302 but does not stop the render, so the page,
/// with the submitted password or code in its inputs' <c>value</c>, was written after the Location
/// header. Rather than trust every handler and every future page to avoid that, the response
/// stream drops whatever is written once the status is a redirect.
/// </summary>
internal static class RedirectBodies
{
    public static IApplicationBuilder UseBodylessRedirects(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                await next(context);
                return;
            }
            var original = context.Response.Body;
            context.Response.Body = new RedirectAwareStream(original, context.Response);
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }
        });

    private sealed class RedirectAwareStream(Stream inner, HttpResponse response) : Stream
    {
        private bool Discarding => response.StatusCode is >= 300 and < 400;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (!Discarding)
            {
                inner.Write(buffer, offset, count);
            }
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (!Discarding)
            {
                inner.Write(buffer);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Discarding ? Task.CompletedTask : inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Discarding ? ValueTask.CompletedTask : inner.WriteAsync(buffer, cancellationToken);
    }
}
