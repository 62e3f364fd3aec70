package dev.netserver.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instances of one TCP listener, as the "child group" of its listening sockets: each accepted
 * connection is registered on the event loop of the next started instance in turn, and remembers that
 * instance, which sets up its pipeline. With one instance, accepting and serving share one event loop.
 *
 * <p>Only {@link #register(Channel)} is used (by Netty's ServerBootstrap); the group owns no threads,
 * so it has nothing to shut down: the event loops are Vert.x's.
 */
final class InstanceGroup extends AbstractEventExecutorGroup implements EventLoopGroup {

  private static final AttributeKey<TcpServerVerticle> OWNER = AttributeKey.valueOf("netserver.instance");

  /** The started instances, replaced (never changed) on join and leave, so a reader needs no lock. */
  private volatile List<TcpServerVerticle> started = List.of();
  private final AtomicInteger turn = new AtomicInteger();

  synchronized void join(TcpServerVerticle instance) {
    List<TcpServerVerticle> more = new ArrayList<>(started);
    more.add(instance);
    started = List.copyOf(more);
  }

  synchronized void leave(TcpServerVerticle instance) {
    started = started.stream().filter(i -> i != instance).toList();
  }

  /** The instance a connection was given to. */
  TcpServerVerticle owner(Channel channel) {
    return channel.attr(OWNER).get();
  }

  private TcpServerVerticle nextInstance() {
    List<TcpServerVerticle> now = started;
    return now.isEmpty() ? null : now.get(Math.floorMod(turn.getAndIncrement(), now.size()));
  }

  @Override
  public ChannelFuture register(Channel channel) {
    TcpServerVerticle instance = nextInstance();
    if (instance == null) {
      // every instance is stopping: the connection is not served
      channel.unsafe().closeForcibly();
      return channel.newFailedFuture(new IllegalStateException("listener stopping"));
    }
    channel.attr(OWNER).set(instance);
    return instance.loop().register(channel);
  }

  @Override
  public ChannelFuture register(ChannelPromise promise) {
    throw new UnsupportedOperationException();
  }

  @Override
  @Deprecated
  public ChannelFuture register(Channel channel, ChannelPromise promise) {
    throw new UnsupportedOperationException();
  }

  @Override
  public EventLoop next() {
    TcpServerVerticle instance = nextInstance();
    if (instance == null) {
      throw new IllegalStateException("no started instance");
    }
    return instance.loop();
  }

  @Override
  public Iterator<EventExecutor> iterator() {
    return started.stream().map(i -> (EventExecutor) i.loop()).iterator();
  }

  @Override
  public boolean isShuttingDown() {
    return false;
  }

  @Override
  public Future<?> shutdownGracefully() {
    return terminationFuture();
  }

  @Override
  public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
    return terminationFuture();
  }

  @Override
  public Future<?> terminationFuture() {
    return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
  }

  @Override
  @Deprecated
  public void shutdown() {
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }
}
