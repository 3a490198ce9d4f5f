AWS_SECRET_ACCESS_KEY = ("vNaAmERWHjdjzYPzxiBz"
                         "SlHNJqiJ5PqKfUg7z1xt")
