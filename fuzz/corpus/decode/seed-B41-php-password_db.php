<?php
return array(
    'host' => 'database05',
    'user' => 'app',
    'password' => 'ezagingfaoygrildsxahjzru',
);
class Db {
    const DB_PWD = 'jx0`&?c9cqYWMMgL';
}
