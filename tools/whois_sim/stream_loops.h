// The I/O loops a simulated server runs on a connection whatever it speaks:
// wait the service delay, drip bytes at a pace (mode "slow"), write without
// end (mode "endless"), read and drop until the peer goes (mode "silent",
// lingering close). Work on any Asio/Beast stream; the handler keeps the
// connection (and so every reference passed in) alive and is called once.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace whoisq::sim {

// Calls then() after `delay`, at once when it is 0; never if the wait is
// cancelled (the connection is closing).
template <class Then>
void AfterDelay(boost::asio::steady_timer& timer, std::chrono::milliseconds delay, Then then) {
  if (delay.count() == 0) {
    then();
    return;
  }
  timer.expires_after(delay);
  timer.async_wait([then = std::move(then)](boost::system::error_code ec) mutable {
    if (!ec) then();
  });
}

// Writes data[i..] one byte per `interval`; done({}) as soon as the last byte
// is written (no wait after it: the response is complete).
template <class Stream, class Done>
void WriteOneBytePerInterval(Stream& stream, boost::asio::steady_timer& timer,
                             const std::string& data, std::chrono::milliseconds interval,
                             size_t i, Done done) {
  using boost::system::error_code;
  if (i >= data.size()) {
    done(error_code{});
    return;
  }
  boost::asio::async_write(
      stream, boost::asio::buffer(data.data() + i, 1),
      [&stream, &timer, &data, interval, i, done = std::move(done)](error_code ec, size_t) mutable {
        if (ec || i + 1 >= data.size()) {
          done(ec);
          return;
        }
        timer.expires_after(interval);
        timer.async_wait(
            [&stream, &timer, &data, interval, i, done = std::move(done)](error_code ec) mutable {
              if (ec) {
                done(ec);
              } else {
                WriteOneBytePerInterval(stream, timer, data, interval, i + 1, std::move(done));
              }
            });
      });
}

// Writes `buffers` again and again until a write fails.
template <class Stream, class Buffers, class Done>
void WriteForever(Stream& stream, Buffers buffers, Done done) {
  boost::asio::async_write(
      stream, buffers,
      [&stream, buffers, done = std::move(done)](boost::system::error_code ec, size_t) mutable {
        if (ec) {
          done(ec);
        } else {
          WriteForever(stream, buffers, std::move(done));
        }
      });
}

// Reads into `sink` and drops the bytes until a read fails (EOF included).
template <class Stream, class Done>
void DrainUntilError(Stream& stream, boost::asio::mutable_buffer sink, Done done) {
  stream.async_read_some(
      sink, [&stream, sink, done = std::move(done)](boost::system::error_code ec, size_t) mutable {
        if (ec) {
          done(ec);
        } else {
          DrainUntilError(stream, sink, std::move(done));
        }
      });
}

}  // namespace whoisq::sim
