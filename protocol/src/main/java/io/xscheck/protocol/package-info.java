/**
 * The xs_wire protocol of xenstore (Xen 4.17, {@code xen/include/public/io/xs_wire.h} and
 * {@code docs/misc/xenstore.txt} at tag RELEASE-4.17.7): the wire values ({@link
 * io.xscheck.protocol.Op}, {@link io.xscheck.protocol.Request}, {@link io.xscheck.protocol.Reply},
 * {@link io.xscheck.protocol.WatchEvent}, {@link io.xscheck.protocol.Perm}, {@link
 * io.xscheck.protocol.Bytes}), framing ({@link io.xscheck.protocol.Frame}, {@link
 * io.xscheck.protocol.FrameCodec}, the streaming {@link io.xscheck.protocol.FrameDecoder}), payload
 * codecs for clients and servers ({@link io.xscheck.protocol.ReplyCodec}, {@link
 * io.xscheck.protocol.RequestCodec}, {@link io.xscheck.protocol.WatchEvents}), and a pipelining
 * client over byte channels ({@link io.xscheck.protocol.XsConnection}). Malformed input raises
 * {@link io.xscheck.protocol.ProtocolException}; a dead connection raises
 * {@link io.xscheck.protocol.XsConnectionException}.
 *
 * <p>Depends on the JDK only: nothing of ours, no third-party library. Every other module may
 * depend on it.
 */
package io.xscheck.protocol;
