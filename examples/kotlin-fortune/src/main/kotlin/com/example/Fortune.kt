package com.example

import io.vertx.core.Handler
import io.vertx.core.json.JsonObject
import io.vertx.core.net.NetSocket
import io.vertx.core.parsetools.RecordParser

/**
 * A custom netserver protocol in Kotlin: one fortune from a list (the listener's "options": {"fortunes": [...]},
 * else a built-in list), then every line echoed in upper case until the client sends "quit".
 * Nothing here knows netserver: it is a plain Vert.x Handler<NetSocket>.
 */
class Fortune(options: JsonObject) : Handler<NetSocket> {

  private val fortunes: List<String> =
    options.getJsonArray("fortunes")?.map { it.toString() }?.takeIf { it.isNotEmpty() } ?: DEFAULT

  override fun handle(socket: NetSocket) {
    socket.write(fortunes.random() + "\n")
    socket.handler(RecordParser.newDelimited("\n") { record ->
      val line = record.toString().removeSuffix("\r")
      if (line == "quit") {
        socket.end()
      } else {
        socket.write(line.uppercase() + "\n")
      }
    })
  }

  companion object {
    val DEFAULT = listOf(
      "You will write a protocol in another language today.",
      "A handler a day keeps the boilerplate away.",
      "The event loop smiles on those who never block.",
    )
  }
}
