define( 'DB_PASSWORD', 'cZd6wUczsPRQofOy' );

define('AUTH_KEY', 'PQW7XYFICzcxa8tkZJxchz6S9a9pmG8QHrhLV6bN');

define( 'DB_PASSWORD', 'password_here' );

define('AUTH_KEY', 'put your unique phrase here');
