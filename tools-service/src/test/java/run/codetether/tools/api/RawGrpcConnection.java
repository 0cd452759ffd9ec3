package run.codetether.tools.api;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One HTTP/2 connection to a gRPC server, spoken frame by frame (Netty's HTTP/2 codec), for what a gRPC client
 * library never does on its own: reset a call with an error code of the test's choosing. grpc-java resets with
 * CANCEL; proxies such as Envoy reset with NO_ERROR (envoyproxy/envoy#36200), which is the reset the Vert.x gRPC
 * server did not treat as a cancellation (quarkusio/quarkus#56268).
 */
final class RawGrpcConnection implements AutoCloseable {

    /** A finished call: its grpc-status trailer and the one response message (empty when there was none). */
    record Answer(String grpcStatus, String grpcMessage, byte[] message) {}

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel connection;
    private final String authority;
    /** The error code of a GOAWAY the server sent; -1 while none came. */
    private final AtomicLong goAwayError = new AtomicLong(-1);

    RawGrpcConnection(String host, int port) throws InterruptedException {
        this.authority = host + ":" + port;
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build());
                ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof Http2GoAwayFrame g) {
                            goAwayError.compareAndSet(-1, g.errorCode());
                        }
                        ReferenceCountUtil.release(msg);
                    }
                });
            }
        });
        this.connection = b.connect(host, port).sync().channel();
    }

    /** Starts a unary call on a new stream of this connection: headers, then the one message with END_STREAM. */
    Call start(String fullMethodName, byte[] request) throws InterruptedException {
        Call call = new Call();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(call).open().sync().getNow();
        call.stream = stream;
        var headers = new DefaultHttp2Headers().method("POST").scheme("http").path("/" + fullMethodName)
                .authority(authority);
        headers.add("content-type", "application/grpc");
        headers.add("te", "trailers");
        stream.write(new DefaultHttp2HeadersFrame(headers));
        ByteBuf body = Unpooled.buffer(5 + request.length).writeByte(0).writeInt(request.length).writeBytes(request);
        stream.writeAndFlush(new DefaultHttp2DataFrame(body, true)).sync();
        return call;
    }

    /** The error code of the GOAWAY the server sent on this connection, -1 when it sent none. */
    long goAwayError() {
        return goAwayError.get();
    }

    boolean open() {
        return connection.isActive();
    }

    @Override
    public void close() {
        connection.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** One call's stream; {@link #answer} completes with the trailers, or fails when the stream ends without them. */
    static final class Call extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private volatile Http2StreamChannel stream;

        /** RST_STREAM with the given code, as a proxy in front of the server would send it. */
        void reset(Http2Error code) throws InterruptedException {
            stream.writeAndFlush(new DefaultHttp2ResetFrame(code)).sync();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h) {
                    CharSequence status = h.headers().get("grpc-status");
                    if (status != null) {
                        CharSequence text = h.headers().get("grpc-message");
                        byte[] bytes = data.toByteArray();
                        byte[] message = bytes.length >= 5 ? java.util.Arrays.copyOfRange(bytes, 5, bytes.length)
                                : new byte[0];
                        answer.complete(new Answer(status.toString(), text == null ? "" : text.toString(), message));
                    }
                } else if (msg instanceof Http2DataFrame d) {
                    d.content().readBytes(data, d.content().readableBytes());
                } else if (msg instanceof Http2ResetFrame r) {
                    answer.completeExceptionally(new IllegalStateException("the server reset the stream: "
                            + Http2Error.valueOf(r.errorCode())));
                }
            } catch (java.io.IOException e) {
                answer.completeExceptionally(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.completeExceptionally(new IllegalStateException("the stream ended without trailers"
                    + " (the connection was closed, e.g. after a GOAWAY)"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer.completeExceptionally(cause);
        }
    }
}
